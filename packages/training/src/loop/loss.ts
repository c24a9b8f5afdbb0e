/** Cross-entropy as PyTorch's CrossEntropyLoss(ignore_index=-100, reduction='mean'). */
import * as tf from '@tensorflow/tfjs-core';

/**
 * logits [..., C], labels [...] int32 with -100 ignored → mean over counted positions (0 when none);
 * with `denominator`: the sum over counted positions ÷ denominator (a data-parallel shard's share of
 * a whole batch's mean: the denominator is the batch's count).
 */
export function maskedCrossEntropy(logits: tf.Tensor, labels: tf.Tensor, denominator?: number): tf.Scalar {
  return tf.tidy(() => {
    const classes = logits.shape[logits.shape.length - 1]!;
    const flatLogits = tf.reshape(logits, [-1, classes]);
    const flatLabels = tf.reshape(labels, [-1]);
    const valid = tf.notEqual(flatLabels, tf.scalar(-100, 'int32'));
    const safe = tf.where(valid, flatLabels, tf.zerosLike(flatLabels));
    const logProbs = tf.logSoftmax(flatLogits);
    const picked = tf.sum(tf.mul(logProbs, tf.oneHot(safe as tf.Tensor1D, classes)), -1);
    const mask = tf.cast(valid, 'float32');
    if (denominator !== undefined) return tf.div(tf.neg(tf.sum(tf.mul(picked, mask))), denominator) as tf.Scalar;
    const count = tf.maximum(tf.sum(mask), 1);
    return tf.div(tf.neg(tf.sum(tf.mul(picked, mask))), count) as tf.Scalar;
  });
}
