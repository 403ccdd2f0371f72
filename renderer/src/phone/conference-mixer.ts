/**
 * The three-way conference, mixed on the agent's machine with Web Audio: each remote party is
 * sent the agent's microphone plus the other party's audio, so everyone hears the other two. The
 * agent hears both parties through their own audio elements (no mixing needed for listening).
 *
 *   mic ──► micGain ──┬──────────────► out(A) ──► sender of leg A
 *                     └──────────────► out(B) ──► sender of leg B
 *   remote(A) ───────────────────────► out(B)
 *   remote(B) ───────────────────────► out(A)
 */
export interface MixerParty {
  readonly id: string;
  readonly remote: MediaStream;
}

export class ConferenceMixer {
  private readonly ctx: AudioContext;
  private readonly micGain: GainNode;
  private readonly outputs = new Map<string, MediaStreamAudioDestinationNode>();
  private readonly sources = new Map<string, MediaStreamAudioSourceNode>();

  constructor(microphone: MediaStreamTrack, parties: readonly MixerParty[]) {
    this.ctx = new AudioContext({ latencyHint: 'interactive' });
    this.micGain = this.ctx.createGain();
    this.ctx.createMediaStreamSource(new MediaStream([microphone])).connect(this.micGain);
    for (const p of parties) {
      this.sources.set(p.id, this.ctx.createMediaStreamSource(p.remote));
      const out = this.ctx.createMediaStreamDestination();
      this.micGain.connect(out);
      this.outputs.set(p.id, out);
    }
    for (const p of parties) {
      for (const [otherId, source] of this.sources) if (otherId !== p.id) source.connect(this.outputs.get(p.id)!);
    }
    void this.ctx.resume();
  }

  /** The mixed track to send to party `id`. */
  trackFor(id: string): MediaStreamTrack | undefined {
    return this.outputs.get(id)?.stream.getAudioTracks()[0];
  }

  /** Mute the agent in the conference (the parties keep hearing each other). */
  setMicMuted(muted: boolean): void {
    this.micGain.gain.value = muted ? 0 : 1;
  }

  close(): void {
    for (const s of this.sources.values()) s.disconnect();
    this.micGain.disconnect();
    for (const o of this.outputs.values()) o.stream.getTracks().forEach((t) => t.stop());
    void this.ctx.close().catch(() => undefined);
  }
}
