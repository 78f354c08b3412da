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

/** The same in French (titles as the enum's French labels, shared/labels-fr.ts). */
export const launchActivitiesFr: Record<LaunchActivityKind, Omit<LaunchActivityText, 'title'>> = {
  FORM_STAFF_CIRCLE: {
    details:
      'Par exemple : personnel de mise en œuvre, représentants cliniques, représentants de la promotion de la santé et du développement communautaire, coordonnateur des bénévoles et personnel administratif.',
    suggestedLead: 'Direction',
  },
  DELEGATE_ROLES: {
    details:
      'Désigner l’agent de liaison, le personnel de soutien aux bénévoles et les responsables de la mise en œuvre. Une personne peut assumer plusieurs rôles, pourvu que ses tâches existantes soient ajustées en conséquence.',
    suggestedLead: 'Direction',
  },
  PLAN_IMPLEMENTATION: {
    details:
      'Rédiger un plan de mise en œuvre adapté au contexte : objectifs, population cible, processus d’aiguillage structurés, méthodes de collecte de données, mécanismes de communication et de rétroaction, échéancier.',
    suggestedLead: 'Cercle de personnel, gestion',
  },
  DATA_COLLECTION_PATHWAY: {
    details:
      'Saisir formellement le processus de prescription sociale et ses effets sur la clientèle et les fournisseurs : déterminer comment les données seront suivies, par qui et quand.',
    suggestedLead: 'Cercle de personnel, coordonnateur des données',
  },
  ENGAGE_STAFF: {
    details: 'Informer tout le personnel sur la prescription sociale, le plan de mise en œuvre et son rôle dans le repérage et l’aiguillage.',
    suggestedLead: 'Responsables de la mise en œuvre, gestion',
  },
  ENGAGE_PRIMARY_CARE: {
    details:
      'Faire un effort particulier pour mobiliser les fournisseurs de soins primaires et les aider à comprendre leur rôle. Les données de rendez-vous des 6 à 12 derniers mois aident à repérer les personnes qui consultent souvent et pourraient bénéficier de soutiens sociaux et communautaires.',
    suggestedLead: 'Responsables de la mise en œuvre',
  },
  ASSET_MAPPING_AND_PARTNERS: {
    details:
      'Faire une cartographie rapide des actifs communautaires pour connaître les ressources existantes. Communiquer avec les partenaires actuels et nouveaux pour leur faire comprendre la prescription sociale et leur rôle dans le parcours.',
    suggestedLead: 'Responsables de la mise en œuvre',
  },
  BEGIN_PRESCRIPTIONS: {
    details:
      'Avec un parcours d’aiguillage clair et une solide mobilisation du personnel et des partenaires, la clientèle peut maintenant recevoir des prescriptions sociales et être soutenue pour accéder à des soutiens non médicaux qui améliorent son bien-être.',
    suggestedLead: 'Tout le personnel',
  },
  INVITE_HEALTH_CHAMPIONS: {
    details:
      'Lorsque l’organisme est prêt, inviter des clients et des membres de la communauté à devenir champions de la santé et à travailler avec le personnel pour cerner les besoins et créer des solutions.',
    suggestedLead: 'Responsables de la mise en œuvre',
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
