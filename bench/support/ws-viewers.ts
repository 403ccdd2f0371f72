/** Child process for queue.platform_rss_mb_1000_viewers: opens N lead WebSockets and keeps them open. */
import WebSocket from 'ws';

process.once('message', (job: { url: string; token: string; count: number }) => {
  void (async () => {
    const sockets: WebSocket[] = [];
    try {
      for (let i = 0; i < job.count; i++) {
        const ws = new WebSocket(job.url, { headers: { authorization: `Bearer ${job.token}` } });
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        });
        sockets.push(ws);
      }
      process.send!({ open: sockets.length });
    } catch (error) {
      process.send!({ open: sockets.length, error: error instanceof Error ? error.message : String(error) });
    }
  })();
});
