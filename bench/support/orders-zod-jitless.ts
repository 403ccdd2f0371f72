/**
 * Imported first by orders-page.ts: its bundle's own copy of zod generates no code. The page's CSP
 * has no 'unsafe-eval', and a script evaluated into the page can pass zod's own eval probe on its
 * first tick and fail later; schemas read the setting when they are built, so this module must be
 * evaluated before any module that builds one.
 */
import { z } from 'zod';

z.config({ jitless: true });
