// TensorFlow.js backend selection at run time: native tfjs-node when it can be required, else the
// WebAssembly backend (portable, SIMD), else the pure-JS cpu backend. The choice is reported by
// backendName() because inference speed differs by an order of magnitude between them.
import * as tf from '@tensorflow/tfjs';

export type TfBackend = 'tensorflow' | 'wasm' | 'cpu';

let chosen: Promise<string> | undefined;

async function tryBackend(name: TfBackend): Promise<boolean> {
  try {
    if (name === 'tensorflow') {
      // Optional native addon; not a dependency of this repo (not installable everywhere).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@tensorflow/tfjs-node');
    } else if (name === 'wasm') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@tensorflow/tfjs-backend-wasm');
    }
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** Pick and initialise the fastest available backend once; resolves to its name. */
export function initTfBackend(order: TfBackend[] = ['tensorflow', 'wasm', 'cpu']): Promise<string> {
  chosen ??= (async () => {
    for (const b of order) if (await tryBackend(b)) return b;
    throw new Error(`no TensorFlow.js backend available among ${order.join(', ')}`);
  })();
  return chosen;
}

/** Name of the active backend ('tensorflow', 'wasm' or 'cpu'). */
export function backendName(): string {
  return tf.getBackend();
}
