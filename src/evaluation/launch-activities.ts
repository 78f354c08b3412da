// The nine key activities for launching social prescribing, as the pilot's progress report lists
// them ("Key activities to consider for launching your social prescribing initiative"), each with
// the lead the report suggests. Every site has one row per activity (its launch plan): created
// with the site when its file is synced, then kept by the site.
import type { LaunchActivityKind } from '../generated/prisma/enums.js';
import type { PrismaClient } from '../generated/prisma/client.js';

export type LaunchActivityText = { title: string; details: string; suggestedLead: string };

/** The report's activities, in its order (the enum's order too). */
export const launchActivities: Record<LaunchActivityKind, LaunchActivityText> = {
  FORM_STAFF_CIRCLE: {
    title: 'Form core staff circle to support implementation',
    details:
      'For example: implementation staff, clinical representatives, health promotion/community development representatives, volunteer coordinator, and administration staff.',
    suggestedLead: 'Executive leaders',
  },
  DELEGATE_ROLES: {
    title: 'Delegate social prescribing roles and responsibilities',
    details:
      'Designate Link Worker, volunteer support staff, and implementation leads. Staff may assume multiple roles, as long as existing duties are shifted to accommodate the additional responsibilities.',
    suggestedLead: 'Executive leaders',
  },
  PLAN_IMPLEMENTATION: {
    title: 'Plan implementation',
    details:
      'Draft a context-specific implementation plan to establish objectives, target population, structured referral processes, data collection methods, communication and feedback mechanisms, and timelines.',
    suggestedLead: 'Staff circle, management',
  },
  DATA_COLLECTION_PATHWAY: {
    title: 'Implement data-collection pathway',
    details:
      'Formally capture the process of social prescribing and its impacts on clients and providers: identify how data will be tracked, by whom, and when.',
    suggestedLead: 'Staff circle, data coordinator',
  },
  ENGAGE_STAFF: {
    title: 'Engage organization staff',
    details: 'Educate all staff on social prescribing, the implementation plan, and their role in identification and referral.',
    suggestedLead: 'Implementation leads, management',
  },
  ENGAGE_PRIMARY_CARE: {
    title: 'Engage primary care staff',
    details:
      'Make special efforts to engage primary care providers and help them understand their role. Client appointment data over the previous 6 to 12 months helps providers identify frequent clients who may benefit from social and community supports.',
    suggestedLead: 'Implementation leads',
  },
  ASSET_MAPPING_AND_PARTNERS: {
    title: 'Asset mapping and partner engagement',
    details:
      'Perform a rapid community asset mapping to understand existing resources in the community. Connect with existing and new partners to help them understand social prescribing, and their roles in the pathway.',
    suggestedLead: 'Implementation leads',
  },
  BEGIN_PRESCRIPTIONS: {
    title: 'Begin social prescriptions',
    details:
      'With a clear referral pathway and a strong foundation of staff and partner engagement, clients can now receive social prescriptions, and be supported to access non-medical supports that enhance their wellbeing.',
    suggestedLead: 'All staff',
  },
  INVITE_HEALTH_CHAMPIONS: {
    title: 'Invite Health Champions',
    details:
      'When there is organizational readiness, invite clients and community members to become Health Champions and work collaboratively with organizational staff to identify needs and create solutions.',
    suggestedLead: 'Implementation leads',
  },
};

export const launchActivityKinds = Object.keys(launchActivities) as LaunchActivityKind[];

/** Gives every listed site the nine activities it lacks, not started, led as the report suggests. */
export async function ensureLaunchPlans(prisma: Pick<PrismaClient, 'launchActivity'>, tenantIds: readonly string[]): Promise<number> {
  const { count } = await prisma.launchActivity.createMany({
    data: tenantIds.flatMap((tenantId) => launchActivityKinds.map((activity) => ({ tenantId, activity, lead: launchActivities[activity].suggestedLead }))),
    skipDuplicates: true,
  });
  return count;
}
