# Finds every third-party dependency once, so that layers only link targets.
include(CheckLanguage)

find_package(Threads REQUIRED)
find_package(Torch REQUIRED)   # Debian: libtorch-dev; GPU machine: PyTorch's cmake prefix path

# CUDA is optional: a CUDA LibTorch brings its own runtime, nvcc only matters for our own kernels.
check_language(CUDA)
if(CMAKE_CUDA_COMPILER)
  enable_language(CUDA)
  set(FEDMRG_HAVE_CUDA_COMPILER ON)
endif()

if(FEDMRG_WITH_DCMTK)
  find_package(DCMTK CONFIG QUIET)
  if(NOT DCMTK_FOUND)
    message(STATUS "FedMRG: DCMTK not found, DICOM imaging is off")
    set(FEDMRG_WITH_DCMTK OFF)
  endif()
endif()

find_package(Qt6 6.4 QUIET COMPONENTS Core Test)
if(NOT FEDMRG_ENGINE_ONLY)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets OpenGL OpenGLWidgets Test Concurrent Network Charts LinguistTools)
  # Never request GUISupportQt/RenderingQt: Debian builds them against Qt5.
  find_package(VTK 9.1 REQUIRED COMPONENTS
    CommonCore CommonDataModel CommonExecutionModel
    RenderingCore RenderingOpenGL2 RenderingFreeType RenderingUI
    InteractionStyle ImagingCore)
  find_package(Protobuf REQUIRED)       # module mode: Debian ships no protobuf-config.cmake
  find_package(gRPC CONFIG REQUIRED)
  find_package(OpenSSL REQUIRED)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(SQLCIPHER REQUIRED IMPORTED_TARGET sqlcipher)
  if(NOT FEDMRG_WITH_DCMTK)
    message(FATAL_ERROR "The workstation needs DCMTK (apt: libdcmtk-dev); use -DFEDMRG_ENGINE_ONLY=ON without it")
  endif()
endif()
