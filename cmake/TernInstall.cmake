# Installing Tern for embedders: the public headers (include/tern/), one library holding the
# whole engine, the `tern` command, a CMake package (find_package(tern) → tern::tern) and a
# pkg-config file (tern.pc). Included last by the top-level CMakeLists.txt, once every library
# target exists. examples/embed builds against the result; its CTest checks are registered in
# examples/CMakeLists.txt.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# One library (libtern.a, or libtern.so with BUILD_SHARED_LIBS=ON) made of the object files of
# every engine part that this build has, so that an embedder links one archive in no particular
# order whatever the library graph inside the build looks like.
set(TERN_LIBRARY_PARTS tern_core tern_text tern_decoder tern_validator tern_interp tern_runtime
                       tern_engine tern_wasi tern_capi)
set(TERN_WITH_JIT FALSE)
if(TARGET tern_jit)
  set(TERN_WITH_JIT TRUE)
  list(APPEND TERN_LIBRARY_PARTS tern_jit)
endif()
set(tern_library_objects "")
foreach(part IN LISTS TERN_LIBRARY_PARTS)
  if(NOT TARGET ${part})
    continue()
  endif()
  get_target_property(part_type ${part} TYPE)
  if(part_type STREQUAL "INTERFACE_LIBRARY")
    continue()
  endif()
  list(APPEND tern_library_objects $<TARGET_OBJECTS:${part}>)
  if(BUILD_SHARED_LIBS)
    set_property(TARGET ${part} PROPERTY POSITION_INDEPENDENT_CODE ON)
  endif()
endforeach()
add_library(tern_library ${tern_library_objects})
# The shared library's soname changes with the minor version while Tern is 0.x.
set_target_properties(tern_library PROPERTIES
  OUTPUT_NAME tern EXPORT_NAME library LINKER_LANGUAGE CXX
  VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
if(TERN_WITH_JIT)
  target_link_libraries(tern_library PRIVATE asmjit::asmjit)
endif()

# tern::tern: what an embedder links, inside this build (the alias) and once installed (the
# export). It carries only the public include directory, never the source tree.
add_library(tern_embed_api INTERFACE)
set_target_properties(tern_embed_api PROPERTIES EXPORT_NAME tern)
add_library(tern::tern ALIAS tern_embed_api)
target_include_directories(tern_embed_api INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/capi/include>
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/capi/wasm-c-api> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_features(tern_embed_api INTERFACE cxx_std_20)
target_link_libraries(tern_embed_api INTERFACE tern_library)
# A sanitized libtern (TERN_SANITIZE) needs the sanitizer runtimes in whatever links it.
set(TERN_SANITIZER_LINK_FLAG -fsanitize=address,undefined)
if(TERN_SANITIZE)
  target_link_options(tern_embed_api INTERFACE ${TERN_SANITIZER_LINK_FLAG})
endif()

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/tern DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# The C API's headers (capi/): <wasm.h>, the standard's, beside its licence, and <tern_c.h>.
install(FILES ${PROJECT_SOURCE_DIR}/capi/wasm-c-api/wasm.h ${PROJECT_SOURCE_DIR}/capi/include/tern_c.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/capi/wasm-c-api/LICENSE DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        RENAME LICENSE.wasm-c-api)
install(TARGETS tern_library tern_embed_api EXPORT ternTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET tern)
  install(TARGETS tern RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# The CMake package: ternConfig.cmake finds asmjit (a static library's link dependency) when
# the archive needs it, then loads the exported targets.
set(TERN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tern)
set(TERN_CONFIG_NEEDS_ASMJIT FALSE)
if(TERN_WITH_JIT AND NOT BUILD_SHARED_LIBS)
  set(TERN_CONFIG_NEEDS_ASMJIT TRUE)
endif()
install(EXPORT ternTargets NAMESPACE tern:: DESTINATION ${TERN_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/ternConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/ternConfig.cmake
                              INSTALL_DESTINATION ${TERN_CMAKE_DIR})
# 0.x: a new minor version may break the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/ternConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/ternConfig.cmake ${PROJECT_BINARY_DIR}/ternConfigVersion.cmake
        DESTINATION ${TERN_CMAKE_DIR})

# tern.pc. Relocatable: the prefix is found from the file's own place, so `cmake --install
# --prefix` anywhere works. A static archive's dependencies are the embedder's to link, so with
# the JIT in, asmjit is in Libs.private (Libs, for static-only Debian's asmjit); a shared libtern
# links it itself.
file(RELATIVE_PATH TERN_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" TERN_PC_TO_PREFIX "${TERN_PC_TO_PREFIX}")
set(TERN_PC_LIBS "-L\${libdir} -ltern")
set(TERN_PC_LIBS_PRIVATE "")
if(TERN_WITH_JIT AND BUILD_SHARED_LIBS)
  set(TERN_PC_LIBS_PRIVATE "-lasmjit")
elseif(TERN_WITH_JIT)
  set(TERN_PC_LIBS "-L\${libdir} -ltern -lasmjit")
endif()
# A static archive needs the C++ runtime in whatever links it, a C program using wasm.h too.
if(NOT BUILD_SHARED_LIBS)
  string(APPEND TERN_PC_LIBS " -lstdc++ -lm")
endif()
if(TERN_SANITIZE)
  string(APPEND TERN_PC_LIBS " ${TERN_SANITIZER_LINK_FLAG}")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/tern.pc.in ${PROJECT_BINARY_DIR}/tern.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/tern.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
