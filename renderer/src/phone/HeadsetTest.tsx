/**
 * "Test my headset": the microphone's live level and a test tone on the headset output (and on
 * the ringer), with the devices chosen in the settings — before the first call of the shift.
 */
import { useEffect, useRef, useState } from 'react';
import { Button, Progress, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { audioDevices } from './audio/audio-devices';

type SinkAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

async function playTone(sinkId: string, hz: number): Promise<void> {
  const ctx = new AudioContext();
  const dest = ctx.createMediaStreamDestination();
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.frequency.value = hz;
  gain.gain.value = 0.3;
  osc.connect(gain).connect(dest);
  const el = new Audio() as SinkAudio;
  el.srcObject = dest.stream;
  await el.setSinkId?.(sinkId).catch(() => el.setSinkId?.(''));
  await el.play().catch(() => undefined);
  osc.start();
  osc.stop(ctx.currentTime + 1);
  await new Promise<void>((resolve) => (osc.onended = () => resolve()));
  el.pause();
  await ctx.close();
}

export function HeadsetTest({ constraints }: { constraints: MediaTrackConstraints }) {
  const { t } = useTranslation();
  const [level, setLevel] = useState(0);
  const key = JSON.stringify(constraints);
  const raf = useRef(0);

  useEffect(() => {
    let stream: MediaStream | undefined;
    let ctx: AudioContext | undefined;
    let stopped = false;
    void navigator.mediaDevices
      ?.getUserMedia({ audio: constraints, video: false })
      .then((s) => {
        if (stopped) return s.getTracks().forEach((tr) => tr.stop());
        stream = s;
        ctx = new AudioContext();
        const analyser = ctx.createAnalyser();
        analyser.fftSize = 1024;
        ctx.createMediaStreamSource(s).connect(analyser);
        const data = new Float32Array(analyser.fftSize);
        const tick = () => {
          analyser.getFloatTimeDomainData(data);
          let peak = 0;
          for (const v of data) peak = Math.max(peak, Math.abs(v));
          setLevel(peak);
          raf.current = requestAnimationFrame(tick);
        };
        tick();
      })
      .catch(() => setLevel(0));
    return () => {
      stopped = true;
      cancelAnimationFrame(raf.current);
      stream?.getTracks().forEach((tr) => tr.stop());
      void ctx?.close();
    };
    // `key` stands for the constraints.
  }, [key]);

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="headset-test">
      <Typography.Text type="secondary">{t('settings.testMicHint')}</Typography.Text>
      <Progress percent={Math.round(Math.min(1, level) * 100)} showInfo={false} data-testid="headset-test-level" data-level={level.toFixed(3)} />
      <Space>
        <Button onClick={() => void playTone(audioDevices.effective('headset'), 660)} data-testid="headset-test-play">
          {t('settings.testPlay')}
        </Button>
        <Button onClick={() => void playTone(audioDevices.effective('ringer'), 450)} data-testid="headset-test-ring">
          {t('settings.testRing')}
        </Button>
      </Space>
    </Space>
  );
}
