# wasync.cmake: building a WebAssembly module of your own C entry points with the wasync core and bridge.
# Included by the top-level CMakeLists.txt when configured with `emcmake cmake`.
#
#   wasync_add_module(<target> OUTPUT <path/to/module.wasm>
#                     SOURCES <your hot code: entry points, async functions>
#                     [COLD_SOURCES <code run once per start or per runtime: your registry.c, ...>]
#                     [STANDARD_ENTRIES]        # also compile host_echo, host_many, fetch_text, sleep, never, trap
#                     [LINK_OPTIONS <extra emcc link flags>])
#
# The module is standalone wasm (no emscripten JS glue): load it with the package's
# createRuntime({ wasm: <bytes, URL or WebAssembly.Module> }). Your registry.c defines `wsx_entries` and
# `wsx_entry_count` (see wasm/src/entries.h and examples/hello/).
#
# Why -sSTANDALONE_WASM and a hand-written loader instead of emscripten's JS glue: the glue of emscripten 3.1.6
# (Debian's) breaks under Node's ES modules (__dirname) and tries fetch() on file paths in Node 20. The imports are
# declared with import_module("wasync") and provided by wasm/lib/abi.js, unchanged in Node and browsers.
#
# Flags: the core is built -O3; -Oz everywhere makes the package's module 34 KB instead of 49 KB but costs 25-35%
# of yield/channel throughput (measured with bench/child.mjs). The bridge and the cold sources are built -Oz: at
# -O3, argument parsing and JSON were inlined into 9 KB of code that runs once per start or once per runtime.
# __FILE__ is made relative to the repository, so trace await points read "wasm/examples/join.c:14".

set(WASYNC_WASM_DIR ${CMAKE_CURRENT_LIST_DIR})
set(WASYNC_WASM_COMPILE_OPTIONS -O3 -DNDEBUG "-fmacro-prefix-map=${CMAKE_SOURCE_DIR}/=")
set(WASYNC_WASM_LINK_OPTIONS
  -O3 --no-entry -sSTANDALONE_WASM -sMALLOC=emmalloc -sALLOW_MEMORY_GROWTH=1
  -sINITIAL_MEMORY=1048576 -sTOTAL_STACK=65536 -sERROR_ON_UNDEFINED_SYMBOLS=0 -sWARN_ON_UNDEFINED_SYMBOLS=0
  -sFILESYSTEM=0)
set(WASYNC_BRIDGE_SOURCES
  ${WASYNC_WASM_DIR}/src/bridge.c ${WASYNC_WASM_DIR}/src/entries.c ${WASYNC_WASM_DIR}/src/js_ops.c)
set(WASYNC_STANDARD_ENTRY_SOURCES ${WASYNC_WASM_DIR}/src/entry_points.c)

function(wasync_add_module target)
  cmake_parse_arguments(M "STANDARD_ENTRIES" "OUTPUT" "SOURCES;COLD_SOURCES;LINK_OPTIONS" ${ARGN})
  if(NOT M_OUTPUT)
    message(FATAL_ERROR "wasync_add_module(${target}): OUTPUT is required")
  endif()
  set(cold ${WASYNC_BRIDGE_SOURCES} ${M_COLD_SOURCES})
  if(M_STANDARD_ENTRIES)
    list(APPEND cold ${WASYNC_STANDARD_ENTRY_SOURCES})
  endif()
  add_executable(${target} ${WASYNC_CORE_SOURCES} ${cold} ${M_SOURCES})
  # source properties belong to the calling directory, which is where this target lives
  set_source_files_properties(${cold} PROPERTIES COMPILE_OPTIONS -Oz)
  get_filename_component(out_name ${M_OUTPUT} NAME_WE)
  get_filename_component(out_dir ${M_OUTPUT} DIRECTORY)
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ${out_name} SUFFIX ".wasm")
  target_include_directories(${target} PRIVATE ${CMAKE_SOURCE_DIR}/src ${WASYNC_WASM_DIR}/src)
  target_compile_options(${target} PRIVATE ${WASYNC_WASM_COMPILE_OPTIONS})
  target_link_options(${target} PRIVATE ${WASYNC_WASM_LINK_OPTIONS} ${M_LINK_OPTIONS})
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
    COMMAND ${CMAKE_COMMAND} -E copy $<TARGET_FILE:${target}> ${M_OUTPUT})
endfunction()
