# Compiler settings shared by every project target.
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_C_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

# fedmrg_target_warnings(<target>): -Wall -Wextra on project code only
# (dependency headers come in as -isystem through imported targets).
function(fedmrg_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(FEDMRG_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
