// The one catalogue of who may do what. Every field of the schema names one of these actions next
// to its definition (`authz: 'readClients'`); the shield rule tree, the README's authorization
// table (`npm run docs:authz`) and the role lists of the SQL functions are derived from or checked
// against it. Which rows an allowed caller then sees is row-level security's call (`reach`).
import type { StaffRole } from '../generated/prisma/enums.js';
import type { NetworkRole, PartnerScopeClaim } from './principal.js';

type Kind = 'site' | 'network' | 'partner';

export type Action = {
  /** One line: why these callers, and only these. */
  why: string;
  /** Site staff holding any of these roles; 'any': every site staff member. */
  site?: readonly StaffRole[] | 'any';
  /** Alliance staff holding any of these roles; 'any': every network principal. */
  network?: readonly NetworkRole[] | 'any';
  /** Partners whose token carries any of these scopes; 'any': every partner. */
  partner?: readonly PartnerScopeClaim[] | 'any';
  /** Which rows each kind of caller reaches (row-level security), for the README table. */
  reach?: Partial<Record<Kind, string>>;
  /** What one role may do where it differs from the rest, for the README table. */
  roleNotes?: Partial<Record<StaffRole | NetworkRole, string>>;
};

const everyone = { site: 'any', network: 'any', partner: 'any' } as const;

/** Site roles that may read a client's personal health information (also `app_phi_tenant` in SQL). */
export const healthInformationReaders = ['PRESCRIBER', 'LINK_WORKER', 'DATA_COORDINATOR', 'PRIVACY_OFFICER'] as const satisfies readonly StaffRole[];

/** Who may ask for aggregates (also `agg_scope` in SQL): the data roles of a site, Alliance staff. */
export const aggregateReaders = {
  site: ['DATA_COORDINATOR', 'SITE_ADMIN', 'PRIVACY_OFFICER'],
  network: ['ALLIANCE_ANALYST', 'ALLIANCE_ADMIN'],
} as const satisfies Pick<Action, 'site' | 'network'>;

const ownSite = { site: 'own site' };

export const actions = {
  seeViewer: { ...everyone, why: 'Every caller may see who the API takes it to be.' },
  readSites: { ...everyone, why: 'The list of sites is public within the network.' },
  readLabels: { ...everyone, why: 'Labels of enum values, in English and French, are no secret.' },
  readPartnerOrganizations: { ...everyone, why: 'Partners are listed for everyone who refers or is referred to.' },
  lookUpNodes: {
    ...everyone,
    why: 'Row-level security decides which rows a lookup can see; anything else reads as null, like an id that does not exist.',
    reach: { site: 'whatever the caller may read', network: 'whatever the caller may read', partner: 'whatever the caller may read' },
  },
  readClients: {
    site: healthInformationReaders,
    why: 'Client records are personal health information: only the roles that care for or account for clients.',
    reach: ownSite,
  },
  keepClients: { site: ['PRESCRIBER', 'LINK_WORKER', 'DATA_COORDINATOR'], why: 'Those who register clients keep their records.', reach: ownSite },
  readPrescriptions: {
    site: healthInformationReaders,
    why: 'Prescriptions, their history and items are personal health information.',
    reach: ownSite,
  },
  prescribe: {
    site: ['PRESCRIBER', 'LINK_WORKER'],
    why: 'The two sides of a referral make, assign and amend prescriptions.',
    reach: ownSite,
  },
  movePrescriptions: {
    site: ['PRESCRIBER', 'LINK_WORKER'],
    why: 'Each side sets its own statuses of the referral pathway (prescriptions/status-machine.ts).',
    reach: ownSite,
    roleNotes: {
      PRESCRIBER: 'own site: referring side (REQUESTED, CANCELLED, ENTERED_IN_ERROR)',
      LINK_WORKER: 'own site: receiving side (ACCEPTED, REJECTED, IN_PROGRESS, ON_HOLD, COMPLETED, FAILED)',
    },
  },
  followUpPrescriptions: { site: ['LINK_WORKER'], why: 'The link worker carries the prescription out.', reach: ownSite },
  readStaff: { site: 'any', why: 'Colleagues of one site see each other.', reach: ownSite },
  manageStaff: {
    site: ['SITE_ADMIN'],
    why: 'The site’s administrator decides who signs in as its staff: accounts, their subjects, professions, deactivation.',
    reach: ownSite,
  },
  readPrograms: {
    site: 'any',
    network: 'any',
    partner: ['programs:read'],
    why: 'Staff browse programs to prescribe; partners only when a partnership lets them.',
    reach: { site: 'own site + network', network: 'network', partner: 'partnered sites + network' },
  },
  seeLinkedPrograms: {
    ...everyone,
    why: 'A program reached from a referral, asset or champion; row-level security decides which exist for the caller.',
  },
  keepPrograms: {
    site: ['PROGRAM_COORDINATOR', 'SITE_ADMIN'],
    network: ['ALLIANCE_ADMIN'],
    why: 'A site runs its own programs; the Alliance the network-wide ones.',
    reach: { site: 'own site', network: 'network programs' },
  },
  readCommunityAssets: {
    site: 'any',
    network: 'any',
    why: 'The directory of community assets is for staff, not partners.',
    reach: { site: 'own site + network-shared', network: 'network-shared assets' },
  },
  exportDirectory: { site: 'any', why: 'A site exports its own directory (HSDS 3.1).', reach: { site: 'own site + network-shared' } },
  keepCommunityAssets: {
    site: ['LINK_WORKER', 'PROGRAM_COORDINATOR', 'SITE_ADMIN'],
    why: 'Those who find and run community resources keep the directory.',
    reach: ownSite,
  },
  readHealthChampions: { site: 'any', why: 'Staff of a site see its volunteers; a linked client record needs readClients.', reach: ownSite },
  keepHealthChampions: { site: ['PROGRAM_COORDINATOR', 'SITE_ADMIN'], why: 'Those who run programs keep the champions.', reach: ownSite },
  readPartnerships: {
    ...everyone,
    why: 'Both sides of a partnership see it; row-level security decides which.',
    reach: { site: 'own site', network: 'all', partner: 'own' },
  },
  readPartnershipNote: { site: 'any', network: 'any', why: 'The site’s note about a partner stays with the site.', reach: ownSite },
  keepPartnerships: { site: ['SITE_ADMIN'], why: 'A site’s administrator decides whom it partners with.', reach: ownSite },
  keepPartnerOrganizations: {
    site: ['SITE_ADMIN'],
    network: ['ALLIANCE_ADMIN'],
    why: 'A site keeps its local partners; the Alliance the network-wide ones.',
    reach: { site: 'local partners of own site', network: 'network partners' },
  },
  readEvaluation: {
    site: healthInformationReaders,
    why: 'Outcome assessments and utilization records are personal health information.',
    reach: ownSite,
  },
  recordOutcomes: { site: ['PRESCRIBER', 'LINK_WORKER', 'DATA_COORDINATOR'], why: 'Those who see the client assess outcomes.', reach: ownSite },
  recordUtilization: { site: ['DATA_COORDINATOR'], why: 'Utilization comes from the site’s records, kept by its data coordinator.', reach: ownSite },
  readReadiness: {
    site: 'any',
    network: 'any',
    why: 'A site’s readiness is shared with its staff and the Alliance.',
    reach: { site: 'own site', network: 'all' },
  },
  assessReadiness: { site: ['SITE_ADMIN'], why: 'The site’s administrator answers for its readiness.', reach: ownSite },
  readLaunchPlan: { site: 'any', why: 'A site’s launch plan (leads, dates, notes) is its staff’s working document.', reach: ownSite },
  readLaunchProgress: {
    site: 'any',
    network: 'any',
    why: 'The Alliance follows every site’s launch by the status of each activity, nothing more.',
    reach: { site: 'own site', network: 'all (status only)' },
  },
  keepLaunchPlan: { site: ['SITE_ADMIN'], why: 'The site’s administrator keeps its launch plan, as its readiness.', reach: ownSite },
  recordConsent: { site: healthInformationReaders, why: 'Those who may read the record take the client’s decisions.', reach: ownSite },
  keepLockBox: { site: ['PRIVACY_OFFICER'], why: 'Locking a record away from staff is the privacy officer’s duty.', reach: ownSite },
  readAccessLog: { site: ['PRIVACY_OFFICER'], why: 'Only the privacy officer reads who opened which record.', reach: ownSite },
  readAggregates: {
    ...aggregateReaders,
    why: 'Counts under disclosure control, for those who account for a site or the network.',
    reach: { site: 'own site', network: 'all sites' },
  },
  submitReferrals: {
    partner: ['referrals:create'],
    why: 'A partner refers clients where a partnership grants it.',
    reach: { partner: 'partnered sites whose partnership grants it; cancels its own open referrals' },
  },
  seeSubmittedReferrals: {
    partner: ['referrals:create', 'referrals:read'],
    why: 'What a partner submits or cancels comes back to it: id, reference, site, status, coded reason, times.',
    reach: { partner: 'own referrals: with referrals:read, or the one it is submitting or cancelling' },
  },
  readOwnReferrals: {
    partner: ['referrals:read'],
    why: 'A partner follows its own referrals; client details only under consent.',
    reach: { partner: 'own referrals' },
  },
  manageWebhooks: {
    partner: ['webhooks:manage'],
    why: 'A partner holding a partnership that grants it keeps its own webhook endpoints and follows their deliveries.',
    reach: { partner: 'own endpoints and deliveries' },
  },
} as const satisfies Record<string, Action>;

export type ActionName = keyof typeof actions;
