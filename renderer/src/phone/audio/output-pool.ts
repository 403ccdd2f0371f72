/**
 * Audio elements that play calls, reused from call to call. Creating a media element and routing
 * it to an output device costs the renderer's main thread several milliseconds at the very moment
 * a call's media starts; a seat rarely has more than a few lines, so a few elements serve a shift.
 */
export type SinkAudio = HTMLAudioElement & { readonly sinkId?: string; setSinkId?: (id: string) => Promise<void> };

/** More idle elements than lines a seat can hold are not kept. */
const KEEP_IDLE = 4;
const idle: SinkAudio[] = [];

export function takeAudioElement(): SinkAudio {
  const el = idle.pop() ?? (new Audio() as SinkAudio);
  el.autoplay = true;
  return el;
}

export function returnAudioElement(el: SinkAudio): void {
  el.pause();
  el.srcObject = null;
  if (idle.length < KEEP_IDLE && !idle.includes(el)) idle.push(el);
}

/** Route `el` to `sinkId` ('' = system default); false when the device is not available (then the default plays). */
export async function routeTo(el: SinkAudio, sinkId: string): Promise<boolean> {
  if (!el.setSinkId) return sinkId === '';
  if (el.sinkId === sinkId) return true;
  return el.setSinkId(sinkId).then(
    () => true,
    () => el.setSinkId!('').then(
      () => false,
      () => false,
    ),
  );
}
