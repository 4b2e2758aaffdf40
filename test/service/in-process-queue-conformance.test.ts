/** The queue conformance suite against the in-process queue (no durability cases). */
import { InProcessQueue } from '../../src/service/in-process-queue.js';
import { queueConformance, type ConformanceQueue } from './queue-conformance.js';

queueConformance(
  'in-process',
  () =>
    Promise.resolve({
      open: (o = {}): ConformanceQueue => new InProcessQueue<string>(o),
      dispose: () => Promise.resolve(),
    }),
  { durable: false },
);
