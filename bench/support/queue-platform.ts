/**
 * Child process for queue.platform_rss_mb_1000_viewers: the platform alone in its process (so its
 * resident memory is its own), answering the bench's questions about it.
 */
import { bootQueuePlatform } from '../queue.bench';

process.once('message', () => {
  void (async () => {
    const { base, leadToken } = await bootQueuePlatform(undefined, 1);
    global.gc?.();
    process.send!({ base, leadToken, rss: process.memoryUsage().rss });
    process.on('message', (m: { ask: 'rss' }) => {
      if (m.ask === 'rss') {
        global.gc?.();
        process.send!({ rss: process.memoryUsage().rss });
      }
    });
  })().catch((error: unknown) => process.send!({ error: error instanceof Error ? error.message : String(error) }));
});
