/** Keeps the machine from suspending the app while a call is up (Electron powerSaveBlocker). */
export interface PowerSaveBlockerPort {
  start(type: 'prevent-app-suspension' | 'prevent-display-sleep'): number;
  stop(id: number): void;
}

export class PowerGuard {
  private blockerId: number | undefined;

  constructor(private readonly port: PowerSaveBlockerPort) {}

  setCallActive(active: boolean): void {
    if (active && this.blockerId === undefined) {
      this.blockerId = this.port.start('prevent-app-suspension');
    } else if (!active && this.blockerId !== undefined) {
      this.port.stop(this.blockerId);
      this.blockerId = undefined;
    }
  }

  get active(): boolean {
    return this.blockerId !== undefined;
  }
}
