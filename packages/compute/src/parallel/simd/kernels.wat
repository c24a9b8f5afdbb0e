;; WebAssembly SIMD loops for the data-parallel optimizer phases (../worker.ts), over the shared
;; memory that holds gradients, parameters and moments. Assembled into kernels.wasm by
;; `npm run build:wasm -w @tunekit/compute` (wabt); a test checks that the two match.
;; Addresses are byte offsets into the memory; n counts float32 elements.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; out[i] = a[i] + b[i] (float32); returns Σ out[i]² accumulated in float64.
  (func (export "sumPair") (param $a i32) (param $b i32) (param $out i32) (param $n i32) (result f64)
    (local $i i32) (local $n4 i32) (local $off i32) (local $x v128) (local $d v128) (local $acc v128)
    (local $xs f32) (local $ds f64) (local $s f64)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $vdone
      (loop $vec
        (br_if $vdone (i32.ge_u (local.get $i) (local.get $n4)))
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $x (f32x4.add
          (v128.load align=4 (i32.add (local.get $a) (local.get $off)))
          (v128.load align=4 (i32.add (local.get $b) (local.get $off)))))
        (v128.store align=4 (i32.add (local.get $out) (local.get $off)) (local.get $x))
        (local.set $d (f64x2.promote_low_f32x4 (local.get $x)))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $d (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x))))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vec)))
    (block $sdone
      (loop $scalar
        (br_if $sdone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $xs (f32.add
          (f32.load align=4 (i32.add (local.get $a) (local.get $off)))
          (f32.load align=4 (i32.add (local.get $b) (local.get $off)))))
        (f32.store align=4 (i32.add (local.get $out) (local.get $off)) (local.get $xs))
        (local.set $ds (f64.promote_f32 (local.get $xs)))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $ds) (local.get $ds))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scalar)))
    (f64.add (local.get $s)
      (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc)))))

  ;; AdamW (torch.optim.AdamW semantics) in float32, in place, on gradients scaled by $scale:
  ;;   g' = g·scale; m = b1·m + c1·g'; v = b2·v + c2·g'²; p = p·decay − m / (√v·inv + eps) · step
  ;; with c = 1 − b, decay = 1 − lr·wd, step = lr / (1 − b1^t), inv = 1 / √(1 − b2^t).
  (func (export "adamw") (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $scale f32) (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32)
    (param $decay f32) (param $step f32) (param $inv f32) (param $eps f32)
    (local $i i32) (local $n4 i32) (local $off i32)
    (local $g4 v128) (local $m4 v128) (local $v4 v128)
    (local $Scale v128) (local $B1 v128) (local $C1 v128) (local $B2 v128) (local $C2 v128)
    (local $Decay v128) (local $Step v128) (local $Inv v128) (local $Eps v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $Scale (f32x4.splat (local.get $scale)))
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $C1 (f32x4.splat (local.get $c1)))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $C2 (f32x4.splat (local.get $c2)))
    (local.set $Decay (f32x4.splat (local.get $decay)))
    (local.set $Step (f32x4.splat (local.get $step)))
    (local.set $Inv (f32x4.splat (local.get $inv)))
    (local.set $Eps (f32x4.splat (local.get $eps)))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $vdone
      (loop $vec
        (br_if $vdone (i32.ge_u (local.get $i) (local.get $n4)))
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $g4 (f32x4.mul (v128.load align=4 (i32.add (local.get $g) (local.get $off))) (local.get $Scale)))
        (local.set $m4 (f32x4.add
          (f32x4.mul (local.get $B1) (v128.load align=4 (i32.add (local.get $m) (local.get $off))))
          (f32x4.mul (local.get $C1) (local.get $g4))))
        (local.set $v4 (f32x4.add
          (f32x4.mul (local.get $B2) (v128.load align=4 (i32.add (local.get $v) (local.get $off))))
          (f32x4.mul (f32x4.mul (local.get $C2) (local.get $g4)) (local.get $g4))))
        (v128.store align=4 (i32.add (local.get $m) (local.get $off)) (local.get $m4))
        (v128.store align=4 (i32.add (local.get $v) (local.get $off)) (local.get $v4))
        (v128.store align=4 (i32.add (local.get $p) (local.get $off))
          (f32x4.sub
            (f32x4.mul (v128.load align=4 (i32.add (local.get $p) (local.get $off))) (local.get $Decay))
            (f32x4.mul
              (f32x4.div (local.get $m4)
                (f32x4.add (f32x4.mul (f32x4.sqrt (local.get $v4)) (local.get $Inv)) (local.get $Eps)))
              (local.get $Step))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vec)))
    (block $sdone
      (loop $scalar
        (br_if $sdone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gs (f32.mul (f32.load align=4 (i32.add (local.get $g) (local.get $off))) (local.get $scale)))
        (local.set $ms (f32.add
          (f32.mul (local.get $b1) (f32.load align=4 (i32.add (local.get $m) (local.get $off))))
          (f32.mul (local.get $c1) (local.get $gs))))
        (local.set $vs (f32.add
          (f32.mul (local.get $b2) (f32.load align=4 (i32.add (local.get $v) (local.get $off))))
          (f32.mul (f32.mul (local.get $c2) (local.get $gs)) (local.get $gs))))
        (f32.store align=4 (i32.add (local.get $m) (local.get $off)) (local.get $ms))
        (f32.store align=4 (i32.add (local.get $v) (local.get $off)) (local.get $vs))
        (f32.store align=4 (i32.add (local.get $p) (local.get $off))
          (f32.sub
            (f32.mul (f32.load align=4 (i32.add (local.get $p) (local.get $off))) (local.get $decay))
            (f32.mul
              (f32.div (local.get $ms)
                (f32.add (f32.mul (f32.sqrt (local.get $vs)) (local.get $inv)) (local.get $eps)))
              (local.get $step))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scalar))))
)
