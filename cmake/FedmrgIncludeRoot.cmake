# Per-target include roots, so that each library exports only its own headers.
# Headers are spelled from the repository root ("engine/model/x.h", "app/site/x.h", "ui/x.h"), and exporting
# the root itself would hand every layer's headers to every user. Instead each target gets a folder in the
# build tree, include/<target>/, holding links to just its own source folders under their usual names;
# that folder is the target's include directory. Linking a library brings its dependencies' roots too.

# fedmrg_include_root(<target> <PUBLIC|PRIVATE|INTERFACE> <folder>...)
# <folder> is a path relative to the repository root, e.g. engine/core or app/site.
function(fedmrg_include_root target scope)
  set(root ${CMAKE_BINARY_DIR}/include/${target})
  # Start from an empty root so that a folder dropped from the list (DCMTK off) is gone too.
  # REMOVE_RECURSE deletes links without following them: the source folders are safe.
  file(REMOVE_RECURSE ${root})
  foreach(folder IN LISTS ARGN)
    if(NOT IS_DIRECTORY ${PROJECT_SOURCE_DIR}/${folder})
      message(FATAL_ERROR "fedmrg_include_root(${target}): no folder ${folder}")
    endif()
    get_filename_component(parent ${root}/${folder} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${folder} ${root}/${folder} SYMBOLIC)
  endforeach()
  target_include_directories(${target} ${scope} ${root})
endfunction()
