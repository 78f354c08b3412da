// English and French: the language of labels and catalogue text for one request. A `locale`
// argument wins, then the caller's Accept-Language (negotiated between en and fr), then the
// site's first language (its tenant file's `languages`), then English.
import type { GraphQLSchema } from 'graphql';
import { isEnumType } from 'graphql';
import Negotiator from 'negotiator';
import { builder } from '../graphql/builder.js';
import { perRequest, type GraphQLContext } from '../graphql/context.js';
import { describedEnum } from '../graphql/described-enum.js';
import { frenchLabels } from './labels-fr.js';

export type Locale = 'en' | 'fr';

export const LocaleEnum = describedEnum<'EN' | 'FR'>('Locale', 'A language of labels and catalogue text.', {
  EN: 'English.',
  FR: 'French (français).',
});

/** The language Accept-Language asks for, among English and French; null when it names neither. */
export function acceptedLocale(header: string | null | undefined): Locale | null {
  if (!header) return null;
  // In the caller's order of preference; `*` (what fetch sends by default) states none.
  const preferred = new Negotiator({ headers: { 'accept-language': header } }).languages().map((tag) => tag.toLowerCase().split('-')[0]);
  return preferred.find((language): language is Locale => language === 'en' || language === 'fr') ?? null;
}

/** The language of a site: its first language when that is French, English otherwise. */
export const siteLocale = (languages: readonly string[]): Locale => (languages[0] === 'fr' ? 'fr' : 'en');

const callerSiteLocale = perRequest((ctx) => {
  const principal = ctx.principal;
  if (principal?.kind !== 'STAFF') return Promise.resolve<Locale>('en');
  return ctx.db.tenant
    .findUnique({ where: { id: principal.tenantId }, select: { languages: true } })
    .then((site): Locale => (site ? siteLocale(site.languages) : 'en'));
});

/** The request's language: the argument, Accept-Language, the caller's site's language, English. */
export async function requestLocale(ctx: GraphQLContext, argument?: 'EN' | 'FR' | null): Promise<Locale> {
  if (argument) return argument === 'FR' ? 'fr' : 'en';
  return acceptedLocale(ctx.acceptLanguage) ?? (await callerSiteLocale(ctx));
}

/** English: the value's description, its last period dropped. */
const englishLabel = (description: string | null | undefined, value: string) => (description ?? value).replace(/\.$/, '');

/** The label of one enum value in a language (French falls back to English where none is written). */
export function enumLabel(schema: GraphQLSchema, enumName: string, value: string, locale: Locale): string {
  if (locale === 'fr') {
    const french = frenchLabels[enumName]?.[value];
    if (french) return french;
  }
  const type = schema.getType(enumName);
  const description = isEnumType(type) ? type.getValue(value)?.description : undefined;
  return englishLabel(description, value);
}

type EnumLabel = { enum: string; value: string; label: string };

const EnumLabelRef = builder.objectRef<EnumLabel>('EnumLabel').implement({
  authz: 'reached',
  description: 'The label of one enum value, in the language asked for.',
  fields: (t) => ({
    enum: t.exposeString('enum', { description: 'The enum type (for example "Need").' }),
    value: t.exposeString('value', { description: 'The value (for example "SOCIAL_ISOLATION").' }),
    label: t.exposeString('label', { description: 'Its label (for example "Isolement social et solitude").' }),
  }),
});

builder.queryFields((t) => ({
  locale: t.field({
    authz: 'readLabels',
    type: LocaleEnum,
    description: 'The language this request’s labels and catalogue text are in: Accept-Language (en or fr), else your site’s first language, else English.',
    resolve: async (_root, _args, ctx) => ((await requestLocale(ctx)) === 'fr' ? 'FR' : 'EN'),
  }),
  enumLabels: t.field({
    authz: 'readLabels',
    type: [EnumLabelRef],
    description:
      'Labels of enum values in English or French, for display: every value of every enum, or of one. The language: `locale`, else Accept-Language, else your site’s first language, else English.',
    args: {
      enum: t.arg.string({ required: false, description: 'Only this enum type (for example "Need").' }),
      locale: t.arg({ type: LocaleEnum, required: false, description: 'The language; by default the request’s (see `locale`).' }),
    },
    resolve: async (_root, args, ctx, info) => {
      const locale = await requestLocale(ctx, args.locale);
      const types = Object.values(info.schema.getTypeMap())
        .filter(isEnumType)
        .filter((type) => !type.name.startsWith('__') && (!args.enum || type.name === args.enum));
      return types.flatMap((type) =>
        type.getValues().map((value) => ({ enum: type.name, value: value.name, label: enumLabel(info.schema, type.name, value.name, locale) })),
      );
    },
  }),
}));
