// One worker of the β sweep (www/lib/beta-sweep.js): gets { module, digits, jobs }, trains its
// jobs one after the other in its own wasm instance, and posts
// { type: 'progress', beta, epoch, epochs } after every epoch, { type: 'result', result } per
// model, then { type: 'done' }; on a failure { type: 'error', error: { message, code, params } }.
import init, * as lab from '../pkg/elbo_lab.js';
import { sweepData, trainOne } from '../lib/beta-sweep.js';

self.onmessage = async ({ data: m }) => {
  try {
    await init(m.module ? { module_or_path: m.module } : undefined);
    const data = sweepData(lab, m.digits);
    for (const job of m.jobs) {
      const result = trainOne(lab, data, job, (epoch) => self.postMessage({ type: 'progress', beta: job.beta, epoch, epochs: job.epochs }));
      self.postMessage({ type: 'result', result });
    }
    self.postMessage({ type: 'done' });
  } catch (err) {
    self.postMessage({ type: 'error', error: { message: err?.message ?? String(err), code: err?.code, params: err?.params } });
  }
};
