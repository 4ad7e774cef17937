// Live referral counters, one hub per gateway instance.
//
// Writers publish a small "group G changed" event on the gateway's pub/sub AFTER their transaction
// commits (through Redis when configured, so every instance hears every change). Each instance keeps
// one channel per (group, window, member) that has local subscribers; a change marks the channels
// of its group dirty, and a channel recounts from the database at most once per `intervalMs`
// (leading edge, then trailing), then hands the same payload object to all of its local subscribers.
// 10,000 screens on one group cost one recount per window per instance per interval, not 10,000.
//
// A recount always starts after the last event it answers was received, i.e. after that change was
// committed, so the last message a subscriber gets equals the table. A subscriber keeps only the
// newest undelivered payload (counters are state: an older one is never worth sending). Channels
// also recount every `refreshMs` and send only when the figures differ, which turns the TODAY,
// LAST_7_DAYS and THIS_MONTH windows at local midnight and heals events lost while Redis was away.
import crypto from 'node:crypto';
import type { PubSub } from 'type-graphql';
import type { PrismaClient } from '../../generated/prisma/client';
import { markShared } from '../../common/shared-payload';
import { countersKeyString, readCounters, sameCounts, type CountersSpec } from './referral.counters';
import type { ReferralCounts } from './referral.type';

export const REFERRALS_CHANGED_TOPIC = 'county-gateway:referrals-changed';

export interface ReferralsChangedEvent {
  /** Groups whose referrals changed. */
  groupCodes: string[];
  /** Commit time (ISO) of the change, for logs and measurements. */
  at: string;
  /** Set on the hub's own readiness probe. */
  probe?: string;
}

export interface ReferralCountersHubOptions {
  pubSub: PubSub;
  prisma: PrismaClient;
  /** At most one recount per channel per interval. */
  intervalMs?: number;
  /** Periodic recount of every channel (sent only when the figures changed). */
  refreshMs?: number;
  log?: (line: string) => void;
}

class Sink implements AsyncIterableIterator<ReferralCounts> {
  joinedSeq = 0;
  delivered?: ReferralCounts;
  private pending?: ReferralCounts;
  private waiter?: (result: IteratorResult<ReferralCounts>) => void;
  private done = false;

  constructor(private readonly onClose: (sink: Sink) => void) {}

  push(value: ReferralCounts): void {
    if (this.done) return;
    this.delivered = value;
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = undefined;
      resolve({ value, done: false });
    } else {
      this.pending = value; // the newest replaces an undelivered older one
    }
  }

  next(): Promise<IteratorResult<ReferralCounts>> {
    if (this.pending) {
      const value = this.pending;
      this.pending = undefined;
      return Promise.resolve({ value, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiter = resolve));
  }

  return(): Promise<IteratorResult<ReferralCounts>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<ReferralCounts>> {
    this.close();
    return Promise.reject(error);
  }

  close(): void {
    if (this.done) return;
    this.done = true;
    this.pending = undefined;
    this.waiter?.({ value: undefined, done: true });
    this.waiter = undefined;
    this.onClose(this);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

class Channel {
  readonly sinks = new Set<Sink>();
  /** Bumped by every change event and every new subscriber; a run answers those up to its start. */
  seq = 0;
  running = false;
  timer?: NodeJS.Timeout;
  lastStart = Number.NEGATIVE_INFINITY;
  last?: ReferralCounts;
  closed = false;

  constructor(
    readonly key: string,
    readonly spec: CountersSpec,
  ) {}
}

export interface HubStats {
  channels: number;
  subscribers: number;
  recounts: number;
  events: number;
}

export class ReferralCountersHub {
  private readonly channels = new Map<string, Channel>();
  private readonly byGroup = new Map<string, Set<Channel>>();
  private readonly probes = new Map<string, () => void>();
  private readonly intervalMs: number;
  private readonly log: (line: string) => void;
  private events?: AsyncIterator<unknown>;
  private refreshTimer?: NodeJS.Timeout;
  private stopped = false;
  readonly stats: HubStats = { channels: 0, subscribers: 0, recounts: 0, events: 0 };

  constructor(private readonly options: ReferralCountersHubOptions) {
    this.intervalMs = options.intervalMs ?? 100;
    this.log = options.log ?? (() => undefined);
  }

  /** Starts listening to change events; resolves once the subscription is live (on Redis too). */
  async start(): Promise<void> {
    const events = this.options.pubSub.subscribe(REFERRALS_CHANGED_TOPIC)[Symbol.asyncIterator]();
    this.events = events;
    void (async () => {
      for (;;) {
        let next: IteratorResult<unknown>;
        try {
          next = await events.next();
        } catch (error) {
          if (!this.stopped) this.log(`Referral change events stopped: ${(error as Error).message}`);
          return;
        }
        if (next.done) return;
        this.onEvent(next.value as ReferralsChangedEvent);
      }
    })();
    const refreshMs = this.options.refreshMs ?? 30_000;
    if (refreshMs > 0) {
      this.refreshTimer = setInterval(() => {
        for (const channel of this.channels.values()) this.mark(channel);
      }, refreshMs);
      this.refreshTimer.unref();
    }
    await this.probe();
  }

  /** Publishes a probe and waits until it comes back through the pub/sub. */
  async probe(timeoutMs = 5000): Promise<void> {
    const id = crypto.randomUUID();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.probes.delete(id);
        reject(new Error(`The pub/sub did not deliver a probe within ${timeoutMs} ms`));
      }, timeoutMs);
      this.probes.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
      // Retry until the subscription (on Redis, SUBSCRIBE) is in place.
      const send = () => {
        if (!this.probes.has(id)) return;
        this.options.pubSub.publish(REFERRALS_CHANGED_TOPIC, { groupCodes: [], at: new Date().toISOString(), probe: id } satisfies ReferralsChangedEvent);
        setTimeout(send, 50).unref();
      };
      send();
    });
  }

  /** Tells every instance that referrals of these groups changed. Call it after the commit. */
  publishChanged(groupCodes: Iterable<string>, at = new Date()): void {
    const codes = [...new Set(groupCodes)];
    if (!codes.length) return;
    this.options.pubSub.publish(REFERRALS_CHANGED_TOPIC, { groupCodes: codes, at: at.toISOString() } satisfies ReferralsChangedEvent);
  }

  /** The current counters at once, then the new counters after every change (coalesced). */
  subscribe(spec: CountersSpec): AsyncIterableIterator<ReferralCounts> {
    if (this.stopped) throw new Error('The referral counters hub is stopped');
    const key = countersKeyString(spec);
    let channel = this.channels.get(key);
    if (!channel) {
      channel = new Channel(key, { ...spec });
      this.channels.set(key, channel);
      let group = this.byGroup.get(spec.groupCode);
      if (!group) this.byGroup.set(spec.groupCode, (group = new Set()));
      group.add(channel);
      this.stats.channels = this.channels.size;
    }
    const owner = channel;
    const sink = new Sink((closed) => this.leave(owner, closed));
    channel.sinks.add(sink);
    this.stats.subscribers++;
    sink.joinedSeq = ++channel.seq;
    this.request(channel);
    return sink;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.refreshTimer);
    for (const channel of [...this.channels.values()]) for (const sink of [...channel.sinks]) sink.close();
    await this.events?.return?.();
  }

  private onEvent(event: ReferralsChangedEvent): void {
    if (event.probe) {
      this.probes.get(event.probe)?.();
      this.probes.delete(event.probe);
      return;
    }
    this.stats.events++;
    for (const code of event.groupCodes ?? []) {
      for (const channel of this.byGroup.get(code) ?? []) this.mark(channel);
    }
  }

  private mark(channel: Channel): void {
    channel.seq++;
    this.request(channel);
  }

  private leave(channel: Channel, sink: Sink): void {
    if (!channel.sinks.delete(sink)) return;
    this.stats.subscribers--;
    if (channel.sinks.size) return;
    channel.closed = true;
    clearTimeout(channel.timer);
    this.channels.delete(channel.key);
    const group = this.byGroup.get(channel.spec.groupCode);
    group?.delete(channel);
    if (group && !group.size) this.byGroup.delete(channel.spec.groupCode);
    this.stats.channels = this.channels.size;
  }

  private request(channel: Channel): void {
    if (channel.running || channel.timer || channel.closed) return;
    const wait = Math.max(0, channel.lastStart + this.intervalMs - Date.now());
    channel.timer = setTimeout(() => {
      channel.timer = undefined;
      void this.run(channel);
    }, wait);
  }

  private async run(channel: Channel): Promise<void> {
    if (channel.closed) return;
    channel.running = true;
    const runSeq = channel.seq;
    channel.lastStart = Date.now();
    try {
      this.stats.recounts++;
      // One payload object for every local subscriber: its execution result is shared too.
      const counts = markShared(await readCounters(this.options.prisma, channel.spec));
      this.deliver(channel, counts, runSeq);
    } catch (error) {
      if (!this.stopped) this.log(`Referral counters of ${channel.spec.groupCode}/${channel.spec.window}: ${(error as Error).message}`);
      channel.lastStart = Date.now() + 1000; // back off, then try again
      channel.seq++;
    } finally {
      channel.running = false;
      if (channel.seq > runSeq) this.request(channel);
    }
  }

  private deliver(channel: Channel, counts: ReferralCounts, runSeq: number): void {
    const changed = !channel.last || !sameCounts(counts, channel.last);
    if (changed) channel.last = counts;
    for (const sink of channel.sinks) {
      // Subscribers that joined after the recount started wait for the next one.
      if (sink.joinedSeq > runSeq) continue;
      if (changed || !sink.delivered) sink.push(counts);
    }
  }
}
