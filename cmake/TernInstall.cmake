# Installing Tern for embedders: the public headers (include/tern/), one library holding the
# whole engine, the `tern` command, a CMake package (find_package(tern) → tern::tern) and a
# pkg-config file (tern.pc). Included last by the top-level CMakeLists.txt, once every library
# target exists. examples/embed builds against the result; its CTest checks are registered in
# examples/CMakeLists.txt.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Two libraries made of the same object files of every engine part this build has: libtern.a
# (tern::tern_static) and libtern.so (tern::tern, unless TERN_SHARED_LIBRARY is OFF), so that an
# embedder links one library in no particular order whatever the library graph inside the build looks like. The objects are
# position-independent and compiled with hidden visibility: libtern.so exports only what the
# public headers declare (include/tern/ wraps its declarations in `#pragma GCC visibility
# push(default)`, the C API's headers are exported through WASM_API_EXTERN and the same pragma),
# so the engine's internals stay internal and calls between them bind inside the library.
# A pragma rather than a version script: the public C++ API and the internals share the `tern`
# namespace, which a script's name patterns cannot tell apart.
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
  set_target_properties(${part} PROPERTIES POSITION_INDEPENDENT_CODE ON
                        CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
endforeach()
add_library(tern_library STATIC ${tern_library_objects})
set_target_properties(tern_library PROPERTIES OUTPUT_NAME tern EXPORT_NAME static_library
                                              LINKER_LANGUAGE CXX)
# libtern.so takes asmjit in when the JIT is built: a shared asmjit as it is, a static one
# through third_party/asmjit_shared.cmake. TERN_SHARED_LIBRARY=OFF builds libtern.a alone.
set(TERN_WITH_SHARED_LIBRARY ${TERN_SHARED_LIBRARY})
if(TERN_WITH_SHARED_LIBRARY)
  add_library(tern_shared_library SHARED ${tern_library_objects})
  # The soname changes with the minor version while Tern is 0.x (a 0.x minor version may break
  # the ABI): libtern.so.0.1 -> libtern.so.0.1.0.
  set_target_properties(tern_shared_library PROPERTIES
    OUTPUT_NAME tern EXPORT_NAME library LINKER_LANGUAGE CXX
    VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
  target_link_options(tern_shared_library PRIVATE -Wl,--no-undefined)
  if(TERN_WITH_JIT)
    get_target_property(asmjit_type asmjit::asmjit TYPE)
    if(asmjit_type STREQUAL "SHARED_LIBRARY")
      target_link_libraries(tern_shared_library PRIVATE asmjit::asmjit)
    else()
      # asmjit taken in, its symbols made local (--exclude-libs): no asmjit needed at run time.
      include(${PROJECT_SOURCE_DIR}/third_party/asmjit_shared.cmake)
      add_dependencies(tern_shared_library tern_asmjit_for_shared_library)
      target_sources(tern_shared_library PRIVATE ${PROJECT_SOURCE_DIR}/third_party/asmjit_stderr.cpp)
      get_target_property(asmjit_dependencies asmjit::asmjit INTERFACE_LINK_LIBRARIES)
      target_link_libraries(tern_shared_library PRIVATE ${TERN_ASMJIT_FOR_SHARED_LIBRARY}
                                                        ${asmjit_dependencies})
      target_link_options(tern_shared_library PRIVATE -Wl,--exclude-libs,ALL)
    endif()
  endif()
endif()
if(TERN_WITH_JIT)
  target_link_libraries(tern_library PRIVATE asmjit::asmjit)
endif()

# tern::tern (the shared library) and tern::tern_static: what an embedder links, inside this
# build (the aliases) and once installed (the exports). Each carries only the public include
# directories, never the source tree.
add_library(tern_embed_api INTERFACE)
set_target_properties(tern_embed_api PROPERTIES EXPORT_NAME tern)
add_library(tern::tern ALIAS tern_embed_api)
add_library(tern_embed_api_static INTERFACE)
set_target_properties(tern_embed_api_static PROPERTIES EXPORT_NAME tern_static)
add_library(tern::tern_static ALIAS tern_embed_api_static)
foreach(api tern_embed_api tern_embed_api_static)
  target_include_directories(${api} INTERFACE
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/capi/include>
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/capi/wasm-c-api> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_compile_features(${api} INTERFACE cxx_std_20)
endforeach()
if(TERN_WITH_SHARED_LIBRARY)
  target_link_libraries(tern_embed_api INTERFACE tern_shared_library)
else()
  target_link_libraries(tern_embed_api INTERFACE tern_library)
endif()
target_link_libraries(tern_embed_api_static INTERFACE tern_library)
# A sanitized libtern (TERN_SANITIZE) needs the sanitizer runtimes in whatever links it.
set(TERN_SANITIZER_LINK_FLAG -fsanitize=address,undefined)
if(TERN_SANITIZE)
  target_link_options(tern_embed_api INTERFACE ${TERN_SANITIZER_LINK_FLAG})
  target_link_options(tern_embed_api_static INTERFACE ${TERN_SANITIZER_LINK_FLAG})
endif()

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/tern DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# The C API's headers (capi/): <wasm.h>, the standard's, beside its licence, and <tern_c.h>.
install(FILES ${PROJECT_SOURCE_DIR}/capi/wasm-c-api/wasm.h ${PROJECT_SOURCE_DIR}/capi/include/tern_c.h
              ${PROJECT_SOURCE_DIR}/capi/include/tern_wasi.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/capi/wasm-c-api/LICENSE DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        RENAME LICENSE.wasm-c-api)
set(tern_installed_libraries tern_library tern_embed_api tern_embed_api_static)
if(TERN_WITH_SHARED_LIBRARY)
  list(APPEND tern_installed_libraries tern_shared_library)
endif()
install(TARGETS ${tern_installed_libraries} EXPORT ternTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET tern)
  install(TARGETS tern RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# The CMake package: ternConfig.cmake finds asmjit (a static library's link dependency) when
# the archive needs it, then loads the exported targets.
set(TERN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tern)
set(TERN_CONFIG_NEEDS_ASMJIT ${TERN_WITH_JIT})
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
# --prefix` anywhere works. `-ltern` links libtern.so, which needs nothing more; Libs.private is
# what the static libtern.a needs too (`pkg-config --static`): the C++ runtime, and asmjit with
# the JIT in.
file(RELATIVE_PATH TERN_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" TERN_PC_TO_PREFIX "${TERN_PC_TO_PREFIX}")
set(TERN_PC_LIBS "-L\${libdir} -ltern")
set(TERN_PC_LIBS_PRIVATE "-lstdc++ -lm")
if(TERN_WITH_JIT)
  string(PREPEND TERN_PC_LIBS_PRIVATE "-lasmjit ")
endif()
if(NOT TERN_WITH_SHARED_LIBRARY)
  string(APPEND TERN_PC_LIBS " ${TERN_PC_LIBS_PRIVATE}")
endif()
if(TERN_SANITIZE)
  string(APPEND TERN_PC_LIBS " ${TERN_SANITIZER_LINK_FLAG}")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/tern.pc.in ${PROJECT_BINARY_DIR}/tern.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/tern.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# libtern.so's soname, run-time dependencies and exports (tests/capi/check_shared_library.sh).
# Not for a sanitized build, which needs the sanitizer runtimes and is never installed.
if(TERN_WITH_SHARED_LIBRARY AND TERN_BUILD_TESTS AND TERN_TEXT AND NOT TERN_SANITIZE)
  add_test(NAME ${TERN_TEST_PREFIX}capi/shared-library
           COMMAND ${PROJECT_SOURCE_DIR}/tests/capi/check_shared_library.sh
                   $<TARGET_FILE:tern_shared_library> $<TARGET_SONAME_FILE_NAME:tern_shared_library>)
endif()
