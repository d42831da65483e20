# cmake -DCLI=path/to/framescope-cli -DMODE=json|table -P check_bench_output.cmake
cmake_minimum_required(VERSION 3.25)
# json: runs `bench --quick --json`, parses the JSON and checks that every expected row is there with a
# positive ns/op and its contract (input, output, checks), that no "ours only" row carries a peer, that no
# ratio is printed against the seed report (another machine), and that allocations were counted.
# table: runs `bench --quick --filter` on a few rows and checks the table's sections and columns.
set(expected_rows
    "message/write/1 KiB" "message/read-masked/1 KiB" "message/read-masked-frames/1 KiB"
    "message/roundtrip/1 KiB"
    "frame/read-masked/64 B" "frame/read-masked/256 B" "frame/read-masked/1 KiB" "frame/read-masked/4 KiB"
    "frame/write-masked/64 B" "frame/write-masked/256 B" "frame/write-masked/1 KiB" "frame/write-masked/4 KiB"
    "frame/roundtrip/1 KiB"
    "mask/in-place/16 B" "mask/in-place/64 B" "mask/in-place/256 B" "mask/in-place/1 KiB" "mask/in-place/4 KiB"
    "mask/in-place/16 KiB" "mask/in-place/64 KiB" "mask/in-place/1 MiB"
    "mask/copy-unmask/64 B" "mask/copy-unmask/1 KiB" "mask/copy-unmask/1 MiB"
    "handshake/accept-key/60 B"
    "utf8/ascii/64 B" "utf8/ascii/1 KiB" "utf8/ascii/64 KiB" "utf8/ascii/1 MiB"
    "utf8/multibyte/64 B" "utf8/multibyte/1 KiB" "utf8/multibyte/64 KiB" "utf8/multibyte/1 MiB"
    "deflate/compress/1 KiB" "deflate/inflate/1 KiB" "deflate/compress/64 KiB" "deflate/inflate/64 KiB"
    "message/read-fragmented/4 KiB x4 frames" "message/read-fragmented/64 KiB x16 frames"
    "message/read-fragmented/1 MiB x16 frames"
    "e2e/serve/64 B x1" "e2e/serve/64 B x64" "e2e/serve/1 KiB x1" "e2e/serve/1 KiB x64" "e2e/serve/16 KiB x1"
    "e2e/serve/16 KiB x64" "e2e/serve/64 KiB x1" "e2e/serve/64 KiB x64" "e2e/serve/1 MiB x1" "e2e/serve/1 MiB x64"
    "e2e/capture/16 B frames" "e2e/capture/16 B frames at 1M/s")

if(MODE STREQUAL "json")
  execute_process(COMMAND ${CLI} bench --quick --json OUTPUT_VARIABLE out RESULT_VARIABLE rc ERROR_QUIET)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "framescope-cli bench --quick --json exited with ${rc}")
  endif()
  string(JSON count ERROR_VARIABLE error LENGTH "${out}" results)
  if(error)
    message(FATAL_ERROR "not valid JSON: ${error}")
  endif()
  string(JSON counting GET "${out}" allocCounting)
  if(NOT counting)
    message(FATAL_ERROR "allocations were not counted: the malloc counter was not preloaded")
  endif()
  math(EXPR last "${count} - 1")
  set(seen "")
  foreach(i RANGE ${last})
    string(JSON name GET "${out}" results ${i} name)
    string(JSON ns GET "${out}" results ${i} figures nsPerOp)
    if(NOT ns GREATER 0)
      message(FATAL_ERROR "row ${name} has no ns/op (${ns})")
    endif()
    foreach(field input output checks)
      string(JSON text GET "${out}" results ${i} contract ${field})
      if(text STREQUAL "")
        message(FATAL_ERROR "row ${name} has no contract ${field}")
      endif()
    endforeach()
    string(JSON ours_only GET "${out}" results ${i} contract oursOnly)
    string(JSON peers LENGTH "${out}" results ${i} peers)
    string(JSON best TYPE "${out}" results ${i} bestPeer)
    if(ours_only AND (peers GREATER 0 OR NOT best STREQUAL "NULL"))
      message(FATAL_ERROR "row ${name} is ours only but carries a peer")
    endif()
    string(JSON reference TYPE "${out}" results ${i} reference)
    if(reference STREQUAL "OBJECT")
      string(JSON ratio ERROR_VARIABLE no_ratio GET "${out}" results ${i} reference ratio)
      if(NOT no_ratio)
        message(FATAL_ERROR "row ${name} divides by the seed report (another machine): ratio ${ratio}")
      endif()
      string(JSON other GET "${out}" results ${i} reference otherMachine)
      if(NOT other)
        message(FATAL_ERROR "row ${name}: the seed report's figure is not labelled as another machine")
      endif()
    endif()
    # End to end: the plain TCP echo ran beside `serve`, and the server's CPU time and malloc calls were
    # measured in the server process.
    if(name MATCHES "^e2e/serve/")
      string(JSON base_ok GET "${out}" results ${i} baseline available)
      string(JSON cpu GET "${out}" results ${i} figures serverCpuUsPerMessage)
      string(JSON allocs GET "${out}" results ${i} figures allocsPerOp)
      if(NOT base_ok OR cpu STREQUAL "" OR cpu STREQUAL "null" OR allocs STREQUAL "" OR allocs STREQUAL "null")
        message(FATAL_ERROR "row ${name}: tcp echo ran: ${base_ok}, server CPU: '${cpu}', server allocs: '${allocs}'")
      endif()
    endif()
    # The capture rows: the same connection without capture ran beside it.
    if(name MATCHES "^e2e/capture/")
      string(JSON base_name GET "${out}" results ${i} baseline name)
      string(JSON base_ok GET "${out}" results ${i} baseline available)
      if(NOT base_ok OR NOT base_name STREQUAL "no capture")
        message(FATAL_ERROR "row ${name}: its baseline '${base_name}' did not run (${base_ok})")
      endif()
    endif()
    list(APPEND seen "${name}")
  endforeach()
  foreach(row IN LISTS expected_rows)
    if(NOT row IN_LIST seen)
      message(FATAL_ERROR "row missing from the JSON: ${row}")
    endif()
  endforeach()
  string(JSON targets LENGTH "${out}" targets)
  message(STATUS "${count} rows, ${targets} targets, valid JSON")
else()
  execute_process(COMMAND ${CLI} bench --quick --filter "^(mask/in-place/1 KiB|frame/read-masked/1 KiB|handshake|e2e/serve/64 B x1)"
                  OUTPUT_VARIABLE out RESULT_VARIABLE rc ERROR_QUIET)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "framescope-cli bench --quick --filter exited with ${rc}")
  endif()
  foreach(needle "mask/in-place/1 KiB" "] ideal XOR" "memcpy (moves 2x" "handshake/accept-key/60 B" "] sha1 60 B"
                 "frame/read-masked/1 KiB" "ours only" "e2e/serve/64 B x1" "] tcp echo" "srv us/msg"
                 "What each row does" "Seed report (ANOTHER MACHINE" "Targets:")
    string(FIND "${out}" "${needle}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "the table lacks '${needle}':\n${out}")
    endif()
  endforeach()
endif()
