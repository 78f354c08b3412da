// A Pothos plugin that wraps only the fields marked as personal health information: it records
// each read (and each PHI-writing mutation) for the audit trail and returns null for a field
// the client has lock-boxed from this caller. Unmarked fields are not wrapped and cost nothing.
import SchemaBuilder, { BasePlugin, PothosSchemaError, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import type { GraphQLContext } from '../graphql/context.js';
import { lockableCategories, type PhiCategory, type RecordSubject, type WrittenCategories } from './marking.js';

type SubjectOf = (parent: unknown) => RecordSubject | null;

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      privacy: PrivacyPlugin<Types>;
    }
  }
}

export class PrivacyPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const extensions = (fieldConfig.extensions ?? {}) as { phi?: PhiCategory; phiSubject?: SubjectOf; phiWrite?: WrittenCategories };
    if (extensions.phiWrite) return this.wrapWrite(resolver, fieldConfig, extensions.phiWrite);
    if (!extensions.phi) return resolver;
    const category = extensions.phi;
    const subjectOf = extensions.phiSubject ?? this.subjectOf(fieldConfig.parentType, `${fieldConfig.parentType}.${fieldConfig.name}`);
    if (!lockableCategories.includes(category)) {
      return (parent, args, ctx, info) => {
        const subject = subjectOf(parent);
        if (subject) (ctx as unknown as GraphQLContext).privacy.record('READ', subject, category);
        return resolver(parent, args, ctx, info);
      };
    }
    if (!fieldConfig.type.nullable) {
      throw new PothosSchemaError(`${fieldConfig.parentType}.${fieldConfig.name} holds lockable ${category} information and must be nullable`);
    }
    return async (parent, args, ctx, info) => {
      const context = ctx as unknown as GraphQLContext;
      const subject = subjectOf(parent);
      if (!subject) return resolver(parent, args, ctx, info);
      if ((await context.privacy.withheldFrom(context, subject)).includes(category)) return null;
      context.privacy.record('READ', subject, category);
      return resolver(parent, args, ctx, info);
    };
  }

  private wrapWrite(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
    written: WrittenCategories,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    let type = fieldConfig.type;
    while (type.kind === 'List') type = type.type;
    const subjectOf = this.subjectOf(type.ref, `${fieldConfig.parentType}.${fieldConfig.name}`);
    return async (parent, args, ctx, info) => {
      const result: unknown = await resolver(parent, args, ctx, info);
      const categories = typeof written === 'function' ? written(args) : [written];
      for (const row of Array.isArray(result) ? (result as unknown[]) : [result]) {
        const subject = row ? subjectOf(row) : null;
        if (subject) for (const category of categories) (ctx as unknown as GraphQLContext).privacy.record('WRITE', subject, category);
      }
      return result;
    };
  }

  private subjectOf(typeRef: unknown, where: string): SubjectOf {
    const typeConfig = this.buildCache.getTypeConfig(typeRef as string);
    const subjectOf = (typeConfig.extensions as { clientRecord?: SubjectOf } | undefined)?.clientRecord;
    if (!subjectOf)
      throw new PothosSchemaError(`${where} is marked as health information, but ${typeConfig.name} does not declare whose record it is (clientRecord)`);
    return subjectOf;
  }
}

SchemaBuilder.registerPlugin('privacy', PrivacyPlugin);
