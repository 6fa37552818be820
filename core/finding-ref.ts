// How people refer to a finding: by its filing number ("#123", the FindingView.seq shown in every
// message), or — buttons, internal callers — by its storage id (a uuid). Typed text is NFKC
// normalised first, so a full-width "＃１２３" is "#123".

export type FindingRef = { kind: 'id'; id: string } | { kind: 'seq'; seq: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEQ = /^#?(\d{1,10})$/;
/** finding.seq is a PostgreSQL integer. */
const MAX_SEQ = 2_147_483_647;

/** '#123', '123' or a uuid → the reference; anything else → null. */
export function parseFindingRef(raw: string): FindingRef | null {
  const s = raw.normalize('NFKC').trim();
  if (UUID.test(s)) return { kind: 'id', id: s.toLowerCase() };
  const m = SEQ.exec(s);
  if (!m) return null;
  const seq = Number(m[1]);
  return seq >= 1 && seq <= MAX_SEQ ? { kind: 'seq', seq } : null;
}

/** As people read it: '#123' for a filing number, the id otherwise. */
export function findingRefLabel(ref: FindingRef): string {
  return ref.kind === 'seq' ? `#${ref.seq}` : ref.id;
}
