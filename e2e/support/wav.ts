/**
 * WAV files for Chromium's fake microphone (--use-file-for-fake-audio-capture): 48 kHz mono
 * 16-bit sine tones, a different frequency per party so tests can tell who hears whom. Plain-RTP
 * parties (baresip's aufile) need the codec's rate instead: 8 kHz for G.711.
 */
import fs from 'node:fs';
import path from 'node:path';

export function writeToneWav(file: string, frequencyHz: number, seconds = 10, amplitude = 0.5, rate = 48_000): string {
  const samples = rate * seconds;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequencyHz * i) / rate) * amplitude * 32767), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.concat([header, data]));
  return file;
}

/** Chromium flags for real WebRTC media with a fake microphone playing `wav`. */
export function mediaArgs(wav: string): string[] {
  return [
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${wav}`,
    '--autoplay-policy=no-user-gesture-required',
    '--allow-loopback-in-peer-connection',
  ];
}
