/** An ICE candidate as RTCIceCandidate.toJSON() gives it; an empty `candidate` marks end-of-candidates. */
export interface IceCandidatePayload {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

export type CallKind = 'audio' | 'video';

/** Server-to-client call signaling events (docs/calls.md draws the state machine). */
export interface CallServerEvents {
  /** A call rings: to every device of the callee. */
  'call:incoming': { callId: string; from: string; kind: CallKind; sdp: string; expiresAt: string };
  /** The callee answered: to the caller's calling device only. */
  'call:accepted': { callId: string; sdp: string };
  /** Another device of the callee answered: to the callee's other devices (stop ringing). */
  'call:answered-elsewhere': { callId: string };
  /** The callee declined: to every device of both parties (stops ringing everywhere). */
  'call:rejected': { callId: string; reason: string | null };
  /** The caller hung up before an answer: to every device of both parties. */
  'call:cancelled': { callId: string };
  /** The callee is in another call: to the caller (the call is logged as busy). */
  'call:busy': { callId: string };
  /** Nobody answered within CALL_RING_TIMEOUT_SECONDS: to every device of both parties. */
  'call:missed': { callId: string };
  /** Candidates of the other party's active device, in the order it sent them. */
  'call:ice-candidate': { callId: string; candidates: IceCandidatePayload[] };
  /** A mid-call offer or answer of the other party's active device (camera switch, audio -> video). */
  'call:negotiate': { callId: string; type: 'offer' | 'answer'; sdp: string };
  /** An answered call is over (either side hung up, connection lost, glare): to every device of both parties. */
  'call:ended': { callId: string; reason: string; durationMs: number };
}
