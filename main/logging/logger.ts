/**
 * Logging to size-rotated JSON-lines files. Every message and context is redacted (phone numbers,
 * SIP user parts, credentials) before it is written: logs are shipped to support and must carry
 * no personal data. Writes are synchronous so that the last lines before a crash are on disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { redactText, redactValue } from '../../shared/base/redact';
import { toShanghaiIso } from '../../shared/base/shanghai-time';
import type { LogLevel } from '../../shared/logging/ipc';

export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
  child(module: string): Logger;
}

export interface LogSink {
  write(level: LogLevel, module: string, message: string, context?: Record<string, unknown>): void;
}

export interface RotatingFileSinkOptions {
  dir: string;
  fileName?: string;
  maxBytes?: number;
  maxFiles?: number;
  now?: () => number;
  /** Also echo to stderr (development). */
  echo?: boolean;
}

export class RotatingFileSink implements LogSink {
  readonly filePath: string;
  private readonly maxBytes: number;
  private readonly maxFiles: number;
  private readonly now: () => number;
  private size: number;

  constructor(private readonly options: RotatingFileSinkOptions) {
    fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    this.filePath = path.join(options.dir, options.fileName ?? 'main.log');
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.maxFiles = Math.max(1, options.maxFiles ?? 5);
    this.now = options.now ?? Date.now;
    this.size = fs.existsSync(this.filePath) ? fs.statSync(this.filePath).size : 0;
  }

  write(level: LogLevel, module: string, message: string, context?: Record<string, unknown>): void {
    const entry: Record<string, unknown> = {
      t: toShanghaiIso(this.now()),
      level,
      module,
      msg: redactText(message),
    };
    if (context && Object.keys(context).length > 0) entry.ctx = redactValue(context);
    const line = JSON.stringify(entry) + '\n';
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    try {
      fs.appendFileSync(this.filePath, line, { mode: 0o600 });
      this.size += bytes;
    } catch {
      // A full or read-only disk must not take the workstation down with it.
    }
    if (this.options.echo) process.stderr.write(line);
  }

  private rotate(): void {
    try {
      const oldest = `${this.filePath}.${this.maxFiles - 1}`;
      if (this.maxFiles === 1) {
        fs.rmSync(this.filePath, { force: true });
      } else {
        fs.rmSync(oldest, { force: true });
        for (let i = this.maxFiles - 2; i >= 1; i--) {
          const from = `${this.filePath}.${i}`;
          if (fs.existsSync(from)) fs.renameSync(from, `${this.filePath}.${i + 1}`);
        }
        fs.renameSync(this.filePath, `${this.filePath}.1`);
      }
    } catch {
      // Rotation is best effort; keep appending to the current file.
    }
    this.size = fs.existsSync(this.filePath) ? fs.statSync(this.filePath).size : 0;
  }
}

/** Collects entries in memory (tests, and the bridge's console mirror). */
export class MemorySink implements LogSink {
  readonly entries: { level: LogLevel; module: string; message: string; context?: Record<string, unknown> }[] = [];
  write(level: LogLevel, module: string, message: string, context?: Record<string, unknown>): void {
    this.entries.push({ level, module, message: redactText(message), context: context && (redactValue(context) as Record<string, unknown>) });
  }
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createLogger(sink: LogSink, module = 'main', minLevel: LogLevel = 'info'): Logger {
  const at = (level: LogLevel) => (message: string, context?: Record<string, unknown>) => {
    if (LEVEL_ORDER[level] >= LEVEL_ORDER[minLevel]) sink.write(level, module, message, context);
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (name: string) => createLogger(sink, name, minLevel),
  };
}
