/**
 * The durable event log: collection appends, downstream consumers (identity, audiences,
 * destinations) read in log order and remember how far they got. A record is acknowledged to
 * its sender only after `append` resolves, that is after it is durable.
 */
export interface LogRecord {
  sourceId: string;
  messageId: string;
  type: string;
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  timestamp: string;
  receivedAt: string;
  /** The whole normalized event, serialized once by the producer. */
  payload: string;
}

export interface LoggedRecord extends LogRecord {
  /** Position in the log; strictly increasing in append order. */
  seq: number;
}

export interface AppendOutcome {
  appended: number;
  /** Message IDs (of this append) that the log already held for their source: SDK retries. */
  duplicates: string[];
}

export interface EventLog {
  append(records: LogRecord[]): Promise<AppendOutcome>;
  /** Records after `afterSeq`, oldest first. */
  read(afterSeq: number, limit: number): Promise<LoggedRecord[]>;
  /** How far a consumer got (0 before its first commit). */
  offset(consumer: string): Promise<number>;
  commitOffset(consumer: string, seq: number): Promise<void>;
  /** Records accepted by `append` but not yet durable: the basis for backpressure. */
  pending(): number;
  /**
   * Calls `listener` after each durable append in this process, so consumers wake at once
   * instead of polling; returns the unsubscribe function.
   */
  subscribe(listener: () => void): () => void;
  /** Waits for pending appends to become durable. */
  close(): Promise<void>;
}
