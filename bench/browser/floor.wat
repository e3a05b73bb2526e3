;; floor.wat: the least any callback-based bridge does per await, written by hand as the benchmark's "floor" side:
;; wasm calls an import that starts the operation (one crossing into JS), the promise settles, and its reaction
;; calls an export (one crossing back) that takes the value and starts the next operation. No executor, no tasks,
;; no records: one crossing each way plus one promise reaction. begin(n, width) keeps `width` operations in
;; flight until n have been started; resume(v) returns the sum of the values once the last has settled, else -1.
(module
  (import "env" "start" (func $start (param i32)))
  (global $next (mut i32) (i32.const 0))
  (global $n (mut i32) (i32.const 0))
  (global $live (mut i32) (i32.const 0))
  (global $sum (mut f64) (f64.const 0))
  (func $launch
    (if (i32.lt_u (global.get $next) (global.get $n))
      (then
        (global.set $live (i32.add (global.get $live) (i32.const 1)))
        (call $start (global.get $next))
        (global.set $next (i32.add (global.get $next) (i32.const 1))))))
  (func (export "begin") (param $n i32) (param $width i32)
    (local $i i32)
    (global.set $n (local.get $n))
    (global.set $next (i32.const 0))
    (global.set $live (i32.const 0))
    (global.set $sum (f64.const 0))
    (block $done
      (loop $more
        (br_if $done (i32.ge_u (local.get $i) (local.get $width)))
        (call $launch)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $more))))
  (func (export "resume") (param $v i32) (result f64)
    (global.set $sum (f64.add (global.get $sum) (f64.convert_i32_u (local.get $v))))
    (global.set $live (i32.sub (global.get $live) (i32.const 1)))
    (call $launch)
    (if (result f64) (i32.eqz (global.get $live))
      (then (global.get $sum))
      (else (f64.const -1)))))
