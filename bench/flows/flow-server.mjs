// The Flows endpoint under load: a real Nest app (Express, rawBody) with one @OnWhatsAppFlow handler,
// started by bench/flows-endpoint.mjs. It reports its port, then its CPU use when asked (IPC).
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { klass, method } from '../lib/decorate.mjs';
import { importLibrary } from '../lib/library.mjs';

const { WhatsAppModule, OnWhatsAppFlow, flowScreen } = await importLibrary('index.js');

class BookingFlow {
  pick(request) {
    return flowScreen('CONFIRM', {
      date: request.data?.date,
      summary: `Visit on ${request.data?.date}`,
    });
  }
}
klass(BookingFlow, [Injectable()]);
method(BookingFlow, 'pick', [OnWhatsAppFlow({ screen: 'APPOINTMENT', action: 'data_exchange' })]);

class AppModule {}
klass(AppModule, [
  Module({
    imports: [
      WhatsAppModule.forRoot({
        accessToken: 'bench-token',
        appSecret: process.env.FLOWS_BENCH_SECRET,
        webhookPath: false,
        flows: { privateKey: process.env.FLOWS_BENCH_KEY },
      }),
    ],
    providers: [BookingFlow],
  }),
]);

const app = await NestFactory.create(AppModule, { rawBody: true, logger: ['error'] });
await app.listen(0, '127.0.0.1');
process.send({ ready: app.getHttpServer().address().port });
process.on('message', (message) => {
  if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
  if (message === 'stop') void app.close().then(() => process.exit(0));
});
