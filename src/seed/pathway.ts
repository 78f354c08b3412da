// One prescription's journey along the social prescribing pathway, as the event history a
// link worker would leave: created → assigned → accepted → contact attempts → in progress →
// goal setting → items → accompaniment → follow-ups → close-out → completed, or one of the
// ways it stops earlier. Times are minutes from midnight (UTC) of the referral day; the
// caller picks the referral day once it knows how long the journey took.
import type {
  ContactResult,
  PrescriptionActionKind,
  PrescriptionEventKind,
  PrescriptionItemStatus,
  ReferralOutcome,
  ReferralStatus,
  StatusReasonCode,
  SupportLevel,
} from '../generated/prisma/enums.js';
import { reasonCodeForOutcome, requiresReasonCode } from '../prescriptions/status-reasons.js';
import type { Rng } from './random.js';

export type Actor = 'prescriber' | 'linkWorker' | 'partner';

export type PathStep = {
  kind: PrescriptionEventKind;
  fromStatus?: ReferralStatus;
  toStatus?: ReferralStatus;
  /** On the status change that ends the referral. */
  outcome?: ReferralOutcome;
  /** On a move to REJECTED, CANCELLED or FAILED. */
  statusReasonCode?: StatusReasonCode;
  action?: PrescriptionActionKind;
  contactResult?: ContactResult;
  note?: string;
  actor: Actor;
  /** Minutes from midnight (UTC) of the referral day. */
  at: number;
  /** For ITEM_ADDED / ITEM_STATUS_CHANGED: which item, and its status change. */
  item?: { index: number; from: PrescriptionItemStatus | null; to: PrescriptionItemStatus };
};

export type ItemPath = {
  status: PrescriptionItemStatus;
  addedAt: number;
  updatedAt: number;
};

export type Pathway = {
  steps: PathStep[];
  items: ItemPath[];
  /** A link worker took the referral on. */
  assigned: boolean;
  /** Goals were co-created with the client. */
  goalsSet: boolean;
  /** When the client started working with the link worker (IN_PROGRESS), if ever. */
  engagedAt: number | null;
  closedAt: number | null;
  outcome: ReferralOutcome | null;
  statusReason: string | null;
  statusReasonCode: StatusReasonCode | null;
};

export type PathInput = {
  status: ReferralStatus;
  supportLevel: SupportLevel;
  fromPartner: boolean;
  /** How many programs or assets the link worker may suggest. */
  itemCount: number;
  french: boolean;
  linkWorkerName: string;
};

const OFFICE_START = 14 * 60; // 9:00 Eastern standard time, in UTC
const OFFICE_SPAN = 450; // until 16:30

type Text = readonly [en: string, fr: string];

const REJECT_REASONS: readonly (readonly [ReferralOutcome, Text])[] = [
  ['NOT_ELIGIBLE', ['Needs are clinical; referred back to the care team.', 'Besoins cliniques; renvoyé à l’équipe de soins.']],
  ['NOT_ELIGIBLE', ['Client lives outside the catchment area.', 'Le client habite hors du territoire desservi.']],
  ['NO_CAPACITY', ['All suitable programs are full this season.', 'Tous les programmes adaptés sont complets cette saison.']],
  ['REFERRED_ELSEWHERE', ['Better served by the hospital outreach team.', 'Mieux servi par l’équipe de l’hôpital.']],
];
const CANCEL_REASONS: readonly Text[] = [
  ['Client moved out of the area.', 'Le client a déménagé.'],
  ['Client asked to stop before starting.', 'Le client a demandé d’arrêter avant de commencer.'],
  ['Duplicate referral.', 'Demande en double.'],
  ['Client admitted to long-term care.', 'Le client est entré en soins de longue durée.'],
];
const HOLD_REASONS: readonly Text[] = [
  ['Client in hospital; will resume on discharge.', 'Client hospitalisé; reprise à sa sortie.'],
  ['Client away for the winter.', 'Client absent pour l’hiver.'],
  ['Waiting for the program to restart in the spring.', 'En attente de la reprise du programme au printemps.'],
  ['Client caring for a family member for now.', 'Le client s’occupe d’un proche pour le moment.'],
];
const LATE_FAILURES: readonly (readonly [ReferralOutcome, Text])[] = [
  ['NO_LONGER_INTERESTED', ['Client decided the group was not for them.', 'Le client a décidé que le groupe ne lui convenait pas.']],
  ['NO_LONGER_INTERESTED', ['Client stopped returning calls after two sessions.', 'Le client ne rappelle plus après deux séances.']],
  ['NO_CAPACITY', ['Program waiting list too long; client gave up.', 'Liste d’attente trop longue.']],
  ['NOT_ELIGIBLE', ['Program requires a diagnosis the client does not have.', 'Le programme exige un diagnostic que le client n’a pas.']],
];
const TEXTS = {
  draft: ['Draft saved during the appointment.', 'Brouillon enregistré pendant le rendez-vous.'],
  requested: ['Sent to the link worker.', 'Envoyé à l’agent de liaison.'],
  accepted: ['Referral accepted.', 'Demande acceptée.'],
  reached: ['Spoke with client; booked a first meeting.', 'Parlé au client; premier rendez-vous fixé.'],
  noAnswer: ['No answer.', 'Pas de réponse.'],
  leftMessage: ['Left a voicemail.', 'Message laissé.'],
  wrongNumber: ['Number not in service; asked the care team for another.', 'Numéro hors service.'],
  started: ['Working with the client.', 'Suivi commencé avec le client.'],
  goals: ['Goals co-created with the client.', 'Objectifs établis avec le client.'],
  accompanied: ['Accompanied the client to the first session.', 'Accompagné le client à la première séance.'],
  followUp: ['Follow-up call: going well.', 'Appel de suivi : tout va bien.'],
  followUpMixed: ['Follow-up call: some barriers, made a plan.', 'Appel de suivi : quelques obstacles, plan établi.'],
  resumed: ['Back on track.', 'Reprise du suivi.'],
  closeOut: ['Close-out conversation; client knows how to come back.', 'Rencontre de clôture; le client sait comment revenir.'],
  referredElsewhere: ['Completed; connected to a better-suited service.', 'Terminé; orienté vers un service mieux adapté.'],
  noContact: ['Three contact attempts without reply.', 'Trois tentatives sans réponse.'],
  error: ['Entered on the wrong client’s chart.', 'Saisi au mauvais dossier.'],
} as const satisfies Record<string, Text>;

export function buildPathway(rng: Rng, input: PathInput): Pathway {
  const say = (text: Text) => (input.french ? text[1] : text[0]);
  const steps: PathStep[] = [];
  const items: ItemPath[] = [];
  let t = OFFICE_START + rng.int(0, OFFICE_SPAN);
  let status: ReferralStatus | undefined;
  const path: Pathway = {
    steps,
    items,
    assigned: false,
    goalsSet: false,
    engagedAt: null,
    closedAt: null,
    outcome: null,
    statusReason: null,
    statusReasonCode: null,
  };

  /** The time of the next event: never before or at the previous one. */
  let last = -1;
  const stamp = () => {
    if (t <= last) t = last + 1;
    last = t;
    return t;
  };

  /** Moves the clock: same day a little later, or a later day during office hours. */
  const wait = (minDays: number, maxDays: number) => {
    const days = rng.int(minDays, maxDays);
    if (days === 0) t += rng.int(5, 90);
    else t = (Math.floor(t / 1440) + days) * 1440 + OFFICE_START + rng.int(0, OFFICE_SPAN);
  };
  const referrer: Actor = input.fromPartner ? 'partner' : 'prescriber';
  const change = (to: ReferralStatus, actor: Actor, note?: string) => {
    steps.push({ kind: 'STATUS_CHANGED', fromStatus: status, toStatus: to, actor, at: stamp(), note });
    status = to;
  };
  const act = (action: PrescriptionActionKind, note: string, contactResult?: ContactResult) => {
    steps.push({ kind: 'ACTION_RECORDED', action, contactResult, note, actor: 'linkWorker', at: stamp() });
  };
  const close = (to: ReferralStatus, actor: Actor, outcome: ReferralOutcome | null, reason: string | null) => {
    change(to, actor, reason ?? undefined);
    if (outcome) steps[steps.length - 1]!.outcome = outcome;
    path.closedAt = last;
    path.outcome = outcome;
    path.statusReason = reason;
    path.statusReasonCode = requiresReasonCode(to) ? reasonCodeForOutcome(outcome) : null;
    if (path.statusReasonCode) steps[steps.length - 1]!.statusReasonCode = path.statusReasonCode;
  };

  // Created by the prescriber (sometimes as a draft first) or submitted by a partner.
  const draftFirst = !input.fromPartner && (input.status === 'DRAFT' || rng.chance(0.12));
  status = draftFirst ? 'DRAFT' : 'REQUESTED';
  steps.push({ kind: 'CREATED', toStatus: status, actor: referrer, at: stamp(), note: say(draftFirst ? TEXTS.draft : TEXTS.requested) });
  if (input.status === 'DRAFT') return path;
  if (draftFirst) {
    wait(0, 2);
    change('REQUESTED', 'prescriber', say(TEXTS.requested));
  }
  if (input.status === 'REQUESTED') return path;
  if (input.status === 'ENTERED_IN_ERROR') {
    wait(0, 3);
    close('ENTERED_IN_ERROR', referrer, null, say(TEXTS.error));
    return path;
  }
  if (input.status === 'REJECTED') {
    wait(1, 5);
    const [outcome, reason] = rng.pick(REJECT_REASONS);
    close('REJECTED', 'linkWorker', rng.chance(0.8) ? outcome : null, say(reason));
    return path;
  }
  if (input.status === 'CANCELLED' && rng.chance(0.4)) {
    wait(1, 10);
    close('CANCELLED', referrer, rng.chance(0.3) ? 'NO_LONGER_INTERESTED' : null, say(rng.pick(CANCEL_REASONS)));
    return path;
  }

  // The link worker takes it on.
  wait(0, 2);
  steps.push({ kind: 'LINK_WORKER_ASSIGNED', actor: 'linkWorker', at: stamp(), note: input.linkWorkerName });
  path.assigned = true;
  wait(0, 1);
  change('ACCEPTED', 'linkWorker', say(TEXTS.accepted));

  const failsToReach = input.status === 'FAILED' && rng.chance(0.6);
  const missed = failsToReach
    ? 3
    : input.supportLevel === 'SIGNPOSTING'
      ? rng.int(0, 1)
      : rng.weighted([
          [0, 45],
          [1, 35],
          [2, 20],
        ] as const);
  for (let i = 0; i < missed; i++) {
    wait(i === 0 ? 0 : 1, 4);
    const result = rng.weighted<ContactResult>([
      ['LEFT_MESSAGE', 55],
      ['NO_ANSWER', 38],
      ['WRONG_NUMBER', 7],
    ]);
    act('CONTACT_ATTEMPT', say(result === 'LEFT_MESSAGE' ? TEXTS.leftMessage : result === 'NO_ANSWER' ? TEXTS.noAnswer : TEXTS.wrongNumber), result);
  }
  if (failsToReach) {
    wait(3, 7);
    close('FAILED', 'linkWorker', 'COULD_NOT_CONTACT', say(TEXTS.noContact));
    return path;
  }
  if (input.status === 'ACCEPTED') {
    if (input.itemCount > 0 && rng.chance(0.5)) {
      wait(0, 2);
      addItem();
    }
    return path;
  }
  if (input.status === 'CANCELLED') {
    wait(2, 12);
    if (input.itemCount > 0) addItem();
    wait(1, 10);
    close('CANCELLED', referrer, rng.chance(0.3) ? 'NO_LONGER_INTERESTED' : null, say(rng.pick(CANCEL_REASONS)));
    return path;
  }

  // Reached: the work starts.
  wait(missed === 0 ? 0 : 1, 4);
  act('CONTACT_ATTEMPT', say(TEXTS.reached), 'REACHED');
  wait(0, 0);
  change('IN_PROGRESS', 'linkWorker', say(TEXTS.started));
  path.engagedAt = last;

  const signposting = input.supportLevel === 'SIGNPOSTING';
  if (!signposting) {
    wait(0, 7);
    act('GOAL_SETTING', say(TEXTS.goals));
    path.goalsSet = true;
  }
  const added: number[] = [];
  for (let i = 0; i < input.itemCount; i++) {
    wait(0, 0);
    added.push(addItem());
  }

  const final = input.status;
  const planned = added.map(() => finalItemStatus(rng, final, input.supportLevel));

  if (signposting) {
    if (final === 'COMPLETED') {
      wait(1, 10);
      settleItems(planned, true);
      act('CLOSE_OUT', say(TEXTS.closeOut));
      wait(0, 0);
      const outcome: ReferralOutcome = rng.chance(0.9) ? 'GOT_HELP' : 'REFERRED_ELSEWHERE';
      close('COMPLETED', 'linkWorker', outcome, null);
      return path;
    }
  }

  // Enrolment in what was suggested.
  if (planned.some((s) => s !== 'SUGGESTED')) {
    wait(2, 10);
    added.forEach((index, i) => {
      const target = planned[i]!;
      if (target === 'ENROLLED' || target === 'ATTENDED' || (target === 'STOPPED' && rng.chance(0.6))) {
        moveItem(index, 'ENROLLED');
      }
    });
  }
  if (input.supportLevel === 'HOLISTIC' || (input.supportLevel === 'MEDIUM' && rng.chance(0.4))) {
    wait(1, 8);
    act('ACCOMPANIMENT', say(TEXTS.accompanied));
  }
  if (final === 'IN_PROGRESS' && rng.chance(0.35)) return path;

  // A pause now and then.
  if ((final === 'COMPLETED' || final === 'IN_PROGRESS') && rng.chance(0.1)) {
    wait(5, 15);
    change('ON_HOLD', 'linkWorker', say(rng.pick(HOLD_REASONS)));
    wait(14, 40);
    change('IN_PROGRESS', 'linkWorker', say(TEXTS.resumed));
  }
  if (final === 'ON_HOLD') {
    wait(5, 25);
    settleItems(planned, false);
    const reason = say(rng.pick(HOLD_REASONS));
    change('ON_HOLD', 'linkWorker', reason);
    path.statusReason = reason;
    return path;
  }
  if (final === 'FAILED') {
    wait(10, 40);
    settleItems(planned, true);
    act('CLOSE_OUT', say(TEXTS.closeOut));
    wait(0, 0);
    const [outcome, reason] = rng.pick(LATE_FAILURES);
    close('FAILED', 'linkWorker', outcome, say(reason));
    return path;
  }

  const followUps = input.supportLevel === 'HOLISTIC' ? 2 : 1;
  for (let i = 0; i < followUps; i++) {
    wait(14, 30);
    act('FOLLOW_UP', say(rng.chance(0.75) ? TEXTS.followUp : TEXTS.followUpMixed));
    if (i === 0) settleItems(planned, true);
  }
  if (final === 'IN_PROGRESS') return path;

  // COMPLETED
  wait(3, 14);
  act('CLOSE_OUT', say(TEXTS.closeOut));
  wait(0, 0);
  const outcome: ReferralOutcome = rng.chance(0.88) ? 'GOT_HELP' : 'REFERRED_ELSEWHERE';
  close('COMPLETED', 'linkWorker', outcome, outcome === 'REFERRED_ELSEWHERE' ? say(TEXTS.referredElsewhere) : null);
  return path;

  function addItem(): number {
    const index = items.length;
    const at = stamp();
    steps.push({ kind: 'ITEM_ADDED', actor: 'linkWorker', at, item: { index, from: null, to: 'SUGGESTED' } });
    items.push({ status: 'SUGGESTED', addedAt: at, updatedAt: at });
    return index;
  }

  function moveItem(index: number, to: PrescriptionItemStatus) {
    const item = items[index]!;
    if (item.status === to) return;
    const at = stamp();
    steps.push({ kind: 'ITEM_STATUS_CHANGED', actor: 'linkWorker', at, item: { index, from: item.status, to } });
    item.status = to;
    item.updatedAt = at;
  }

  /** Brings each item to its planned status (ATTENDED/STOPPED only when `finish`). */
  function settleItems(targets: PrescriptionItemStatus[], finish: boolean) {
    added.forEach((index, i) => {
      const target = targets[i]!;
      if (target === 'ATTENDED' && !finish) return moveItem(index, 'ENROLLED');
      if (target === 'ATTENDED' || target === 'STOPPED' || target === 'ENROLLED') moveItem(index, target);
    });
  }
}

function finalItemStatus(rng: Rng, final: ReferralStatus, level: SupportLevel): PrescriptionItemStatus {
  switch (final) {
    case 'COMPLETED':
      if (level === 'SIGNPOSTING')
        return rng.weighted<PrescriptionItemStatus>([
          ['SUGGESTED', 55],
          ['ATTENDED', 45],
        ]);
      return rng.weighted<PrescriptionItemStatus>([
        ['ATTENDED', 78],
        ['STOPPED', 16],
        ['ENROLLED', 6],
      ]);
    case 'IN_PROGRESS':
      return rng.weighted<PrescriptionItemStatus>([
        ['SUGGESTED', 30],
        ['ENROLLED', 45],
        ['ATTENDED', 20],
        ['STOPPED', 5],
      ]);
    case 'ON_HOLD':
      return rng.weighted<PrescriptionItemStatus>([
        ['SUGGESTED', 20],
        ['ENROLLED', 50],
        ['STOPPED', 30],
      ]);
    case 'FAILED':
      return rng.weighted<PrescriptionItemStatus>([
        ['SUGGESTED', 55],
        ['STOPPED', 45],
      ]);
    default:
      return 'SUGGESTED';
  }
}
