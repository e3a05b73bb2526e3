;; jspi.wat: the JSPI side of the bridge benchmark, written by hand. run(n) awaits the host function n times,
;; one after the other, and returns the sum of what it resolved to. The import is wrapped in
;; WebAssembly.Suspending and the export in WebAssembly.promising (bench/browser/workloads.mjs).
(module
  (import "env" "host" (func $host (param i32) (result i32)))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32)
    (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (i32.add (local.get $sum) (call $host (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum)))
