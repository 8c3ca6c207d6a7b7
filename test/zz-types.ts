import Fastify from 'fastify';
import { EngineLog } from '../src/history/athena/log';
const app = Fastify();
export const log: EngineLog = app.log;
