// run.mjs: loads the module built from hello.c with the wasync package and calls its entry point.
//   bash scripts/build-wasm.sh && node examples/hello/run.mjs Ada 3
import { createRuntime } from '../../wasm/index.js'; // in your project: from 'wasync'

const [name = 'world', count = '3'] = process.argv.slice(2);
const rt = await createRuntime({ wasm: new URL('./dist/hello.wasm', import.meta.url), clock: 'real' });
rt.defineHost('greeting', async (who) => `Hello, ${who}!`);   // C awaits this promise
const job = rt.start('greet', { name, count: Number(count) }); // JS awaits the C task
console.log(await job.promise);
rt.close();
