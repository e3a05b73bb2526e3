# wasync.cmake: build a WebAssembly module of your own C entry points with the wasync core and bridge.
#
# In your project's CMakeLists.txt, configured with `emcmake cmake`:
#
#   include(node_modules/wasync/cmake/wasync.cmake)      # or wherever the package (or a checkout's wasm/) is
#   wasync_add_module(app OUTPUT ${CMAKE_CURRENT_SOURCE_DIR}/dist/app.wasm
#                     SOURCES app.c                      # your hot code: entry points, async functions
#                     [COLD_SOURCES more.c]              # code run once per start or per runtime (built -Oz)
#                     [STANDARD_ENTRIES]                 # also compile host_echo, host_many, fetch_text, sleep, ...
#                     [LINK_OPTIONS <extra emcc link flags>])
#
# Every path here comes from this file's own location: the installed package (c/include, c/core, c/bridge, staged
# by `npm pack`) or the repository (src/ and wasm/src/). One of your sources declares the registry with
# WS_MODULE_ENTRIES (ws_module.h). Load the result with createRuntime({ wasm: <bytes, URL or WebAssembly.Module> }).
#
# The flags are in flags.json beside this file, shared with `npx wasync build`. Why they are what they are:
#   - standalone wasm (-sSTANDALONE_WASM, --no-entry), no emscripten JS glue: the glue of emscripten 3.1.6 breaks under
#     Node's ES modules (__dirname) and tries fetch() on file paths in Node 20. The imports are declared with
#     import_module("wasync") and provided by the package's loader (lib/abi.js), unchanged in Node and browsers.
#     It also means the link runs none of emcc's JS optimizer passes, whose acorn module Debian's emscripten finds
#     only with Debian's own Node (or NODE_PATH=/usr/share/nodejs): LINK_OPTIONS that make emcc emit JS glue bring
#     that need back.
#   - the core and your sources -O3; -Oz everywhere makes the module smaller but costs yield/channel throughput
#     (bench/). The bridge and the cold sources -Oz: argument parsing and JSON run once per start or per runtime.
#     The bridge's js_ops.c is the exception, -O3 like the core: it starts every host call and fetch and reads
#     every typed result, so it runs once per await (and at -O3 it is no larger). flags.json lists which bridge
#     source is which (bridgeHot, bridgeCold, standardEntries), for `wasync build` and the compiler kit too.
#   - __FILE__ made relative (-fmacro-prefix-map), so trace await points read "app.c:14", not a machine path.

get_filename_component(WASYNC_PACKAGE_DIR "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
# The package ships c/ and not src/; a checkout has src/ (and c/ only during npm pack)
if(NOT EXISTS "${WASYNC_PACKAGE_DIR}/src/bridge.c" AND EXISTS "${WASYNC_PACKAGE_DIR}/c/core")
  # the installed npm package
  file(GLOB WASYNC_CORE_SOURCES "${WASYNC_PACKAGE_DIR}/c/core/*.c")
  set(WASYNC_BRIDGE_DIR "${WASYNC_PACKAGE_DIR}/c/bridge")
  set(WASYNC_INCLUDE_DIRS "${WASYNC_PACKAGE_DIR}/c/include" "${WASYNC_BRIDGE_DIR}")
  set(WASYNC_PREFIX_MAP "-fmacro-prefix-map=${WASYNC_PACKAGE_DIR}/c/=wasync/")
else()
  # a checkout of the repository: the package is wasm/, the core src/
  get_filename_component(WASYNC_REPO_DIR "${WASYNC_PACKAGE_DIR}/.." ABSOLUTE)
  if(NOT WASYNC_CORE_SOURCES)
    file(GLOB WASYNC_CORE_SOURCES "${WASYNC_REPO_DIR}/src/*.c")
    list(REMOVE_ITEM WASYNC_CORE_SOURCES "${WASYNC_REPO_DIR}/src/host_posix.c" "${WASYNC_REPO_DIR}/src/trace_text.c")
  endif()
  set(WASYNC_BRIDGE_DIR "${WASYNC_PACKAGE_DIR}/src")
  set(WASYNC_INCLUDE_DIRS "${WASYNC_REPO_DIR}/src" "${WASYNC_BRIDGE_DIR}")
  set(WASYNC_PREFIX_MAP "-fmacro-prefix-map=${WASYNC_REPO_DIR}/=")
endif()
if(NOT WASYNC_CORE_SOURCES OR NOT EXISTS "${WASYNC_BRIDGE_DIR}/bridge.c")
  message(FATAL_ERROR "wasync.cmake: no wasync C sources beside ${CMAKE_CURRENT_LIST_DIR} (a broken package?)")
endif()
if(NOT EMSCRIPTEN)
  message(WARNING "wasync.cmake: this project is not configured with emcmake; wasync modules need emscripten "
                  "(install it: apt-get install emscripten, or see https://emscripten.org)")
endif()

# flags.json -> WASYNC_FLAGS_COMPILE, _COLDCOMPILE, _LINK, and the bridge's sources: _BRIDGEHOT (compiled like the
# core), _BRIDGECOLD (-Oz), _STANDARDENTRIES (-Oz, with STANDARD_ENTRIES)
file(READ "${CMAKE_CURRENT_LIST_DIR}/flags.json" _wasync_flags)
foreach(_key compile coldCompile link bridgeHot bridgeCold standardEntries)
  string(JSON _n LENGTH "${_wasync_flags}" ${_key})
  math(EXPR _last "${_n} - 1")
  set(_list)
  foreach(_i RANGE ${_last})
    string(JSON _flag GET "${_wasync_flags}" ${_key} ${_i})
    list(APPEND _list "${_flag}")
  endforeach()
  string(TOUPPER "${_key}" _upper)
  set(WASYNC_FLAGS_${_upper} ${_list})
endforeach()
# -std=c11 comes from CMAKE_C_STANDARD in a CMake project; keep only the rest
list(FILTER WASYNC_FLAGS_COMPILE EXCLUDE REGEX "^-std=")
set(WASYNC_WASM_COMPILE_OPTIONS ${WASYNC_FLAGS_COMPILE} ${WASYNC_PREFIX_MAP} "-fmacro-prefix-map=${CMAKE_SOURCE_DIR}/=")
set(WASYNC_WASM_LINK_OPTIONS ${WASYNC_FLAGS_LINK})
list(TRANSFORM WASYNC_FLAGS_BRIDGECOLD PREPEND "${WASYNC_BRIDGE_DIR}/" OUTPUT_VARIABLE WASYNC_BRIDGE_SOURCES)
list(TRANSFORM WASYNC_FLAGS_BRIDGEHOT PREPEND "${WASYNC_BRIDGE_DIR}/" OUTPUT_VARIABLE WASYNC_BRIDGE_HOT_SOURCES)
list(TRANSFORM WASYNC_FLAGS_STANDARDENTRIES PREPEND "${WASYNC_BRIDGE_DIR}/" OUTPUT_VARIABLE WASYNC_STANDARD_ENTRY_SOURCES)

function(wasync_add_module target)
  cmake_parse_arguments(M "STANDARD_ENTRIES" "OUTPUT" "SOURCES;COLD_SOURCES;LINK_OPTIONS" ${ARGN})
  if(NOT M_OUTPUT)
    message(FATAL_ERROR "wasync_add_module(${target}): OUTPUT is required")
  endif()
  set(cold ${WASYNC_BRIDGE_SOURCES} ${M_COLD_SOURCES})
  if(M_STANDARD_ENTRIES)
    list(APPEND cold ${WASYNC_STANDARD_ENTRY_SOURCES})
  endif()
  add_executable(${target} ${WASYNC_CORE_SOURCES} ${WASYNC_BRIDGE_HOT_SOURCES} ${cold} ${M_SOURCES})
  set_target_properties(${target} PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
  # source properties belong to the calling directory, which is where this target lives
  set_source_files_properties(${cold} PROPERTIES COMPILE_OPTIONS "${WASYNC_FLAGS_COLDCOMPILE}")
  get_filename_component(out_name ${M_OUTPUT} NAME_WE)
  get_filename_component(out_dir ${M_OUTPUT} DIRECTORY)
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ${out_name} SUFFIX ".wasm")
  target_include_directories(${target} PRIVATE ${WASYNC_INCLUDE_DIRS})
  target_compile_options(${target} PRIVATE ${WASYNC_WASM_COMPILE_OPTIONS})
  target_link_options(${target} PRIVATE ${WASYNC_WASM_LINK_OPTIONS} ${M_LINK_OPTIONS})
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
    COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:${target}> ${M_OUTPUT})
endfunction()
