# expect_error.cmake: compiles FILE with CC (switch lowering, the wasync headers in SRC, DEFS: more -D flags
# separated by `;`) and passes only if the compiler fails and its message contains EXPECT. Run with cmake -P (see
# tests/CMakeLists.txt).
set(defs)
foreach(d IN LISTS DEFS)
  list(APPEND defs "-D${d}")
endforeach()
execute_process(
  COMMAND ${CC} -std=c11 -Wall -Wextra -DWS_ASYNC_SWITCH ${defs} -I${SRC} -fsyntax-only ${FILE}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "${FILE} compiled, but it must not:\n${out}${err}")
endif()
string(FIND "${out}${err}" "${EXPECT}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${FILE} failed to compile, but without the message '${EXPECT}':\n${out}${err}")
endif()
message(STATUS "${FILE}: fails to compile as it must, with: ${EXPECT}")
