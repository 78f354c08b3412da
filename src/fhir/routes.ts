// FHIR R4 facade for partners' systems, under /fhir/r4 (JSON only, application/fhir+json). Each
// request is a partner's: its token is checked before the body is read, the request costs a fixed
// amount against its rate limits, and it runs in one transaction as that partner (row-level
// security), reading with the same filters as `partnerReferrals` and writing through the GraphQL
// mutations `submitReferral` and `cancelReferral` themselves. Errors are OperationOutcomes.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphQLError, parse } from 'graphql';
import type { Principal } from '../auth/principal.js';
import { allows } from '../auth/rules.js';
import { actions } from '../auth/actions.js';
import { badUserInput, forbidden, notFound } from '../graphql/errors.js';
import type { GraphQLContext } from '../graphql/context.js';
import { applyHttp, executeOperation, runRestRequest, type RestDeps } from '../server/rest-requests.js';
import { needCategory, serviceRequestStatus, systems, taskStatus } from './codes.js';
import { findReferral, patient, searchReferrals, serviceRequest, taskOf, type ReferralRow } from './referrals.js';
import { parseSearch } from './search.js';
import { submissionOf, transactionOf, type SubmitReferralInput } from './submission.js';
import type { Need } from '../generated/prisma/enums.js';
import { statusReasonFromFhir, statusReasonSystem } from '../prescriptions/status-reasons.js';

export const FHIR_PREFIX = '/fhir/r4';
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

declare module 'fastify' {
  interface FastifyRequest {
    fhirPrincipal: Principal | null;
  }
}

const issueCodes: Record<string, string> = {
  UNAUTHENTICATED: 'login',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not-found',
  BAD_USER_INPUT: 'invalid',
  CONFLICT: 'conflict',
  INVALID_TRANSITION: 'business-rule',
  RATE_LIMITED: 'throttled',
  TIMEOUT: 'timeout',
  SERVICE_UNAVAILABLE: 'transient',
  NOT_SUPPORTED: 'not-supported',
};

export function operationOutcome(code: string, message: string) {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: issueCodes[code] ?? 'exception',
        details: { coding: [{ system: systems.errorCode, code }], text: message },
        diagnostics: message,
      },
    ],
  };
}

const notSupported = (message: string) => new GraphQLError(message, { extensions: { code: 'NOT_SUPPORTED', http: { status: 405 } } });
const unprocessable = (message: string) => new GraphQLError(message, { extensions: { code: 'NOT_SUPPORTED', http: { status: 422 } } });

/** FHIR ids are ours, never guessable: anything that is not one reads as unknown. */
const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;

const submitDocument = parse(`
  mutation FhirSubmitReferral($input: SubmitReferralInput!) {
    submitReferral(input: $input) { id status referredAt }
  }`);
const cancelDocument = parse(`
  mutation FhirCancelReferral($input: CancelReferralInput!) {
    cancelReferral(input: $input) { id status closedAt }
  }`);

type Submitted = { submitReferral: { id: string; status: string; referredAt: string } };

export async function registerFhir(app: FastifyInstance, deps: RestDeps) {
  await app.register(
    async (fhir) => {
      fhir.decorateRequest('fhirPrincipal', null);
      fhir.addContentTypeParser(['application/fhir+json', 'application/json-patch+json'], { parseAs: 'string' }, fhir.getDefaultJsonParser('error', 'error'));

      const send = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).header('content-type', FHIR_JSON).send(body);

      const fail = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
        if (error instanceof GraphQLError && typeof error.extensions?.code === 'string' && error.extensions.code !== 'INTERNAL_SERVER_ERROR') {
          const status = applyHttp(reply, error);
          request.log.info({ code: error.extensions.code }, 'answered with an error');
          if (status === 401) void reply.header('www-authenticate', 'Bearer');
          return reply.header('content-type', FHIR_JSON).send(operationOutcome(error.extensions.code, error.message));
        }
        request.log.error({ err: error }, 'unexpected error');
        return send(reply, 500, operationOutcome('INTERNAL_SERVER_ERROR', `Internal server error (request ${request.id})`));
      };

      // Before the body is read: without a partner's valid token nothing is parsed or run.
      fhir.addHook('onRequest', async (request, reply) => {
        if (request.url === `${FHIR_PREFIX}/metadata` || request.url.startsWith(`${FHIR_PREFIX}/metadata?`)) return;
        try {
          const principal = await deps.authenticate(request);
          if (principal.kind !== 'PARTNER') {
            // Signed in first, as every request of theirs is: a deactivated staff member is UNAUTHENTICATED, not told where to go.
            if (principal.kind === 'STAFF') await runRestRequest(deps, request, { principal, operation: 'FHIR sign-in', cost: 1 }, async () => {});
            throw forbidden('The FHIR facade serves partner organizations; site staff use the GraphQL API');
          }
          request.fhirPrincipal = principal;
        } catch (error) {
          return fail(request, reply, error);
        }
      });

      fhir.setNotFoundHandler((request, reply) =>
        send(reply, 404, operationOutcome('NOT_FOUND', `No FHIR interaction at ${request.method} ${request.url.split('?')[0]}`)),
      );
      fhir.setErrorHandler((error, request, reply) => {
        const status = (error as { statusCode?: number }).statusCode ?? 500;
        if (status === 413)
          return send(reply, 413, operationOutcome('REQUEST_TOO_LARGE', `The request body is over the limit of ${deps.config.bodyLimitBytes} bytes`));
        if (status < 500) return send(reply, status, operationOutcome('BAD_REQUEST', (error as Error).message));
        return fail(request, reply, error);
      });

      const base = (request: FastifyRequest) => `${request.protocol}://${request.host}${FHIR_PREFIX}`;

      /** One request's work as its partner, answered as FHIR. */
      const handle =
        (operation: string, work: (ctx: GraphQLContext, request: FastifyRequest, reply: FastifyReply) => Promise<{ status: number; body: unknown }>) =>
        async (request: FastifyRequest, reply: FastifyReply) => {
          try {
            const { status, body } = await runRestRequest(deps, request, { principal: request.fhirPrincipal!, operation: `FHIR ${operation}` }, (ctx) =>
              work(ctx, request, reply),
            );
            return send(reply, status, body);
          } catch (error) {
            return fail(request, reply, error);
          }
        };

      const requireRead = (ctx: GraphQLContext) => {
        if (!allows(actions.readOwnReferrals, ctx.principal!)) throw forbidden('Reading referrals needs the referrals:read scope');
      };

      const readReferral = async (ctx: GraphQLContext, id: string, kind: string): Promise<ReferralRow> => {
        requireRead(ctx);
        const row = idPattern.test(id) ? await findReferral(ctx, id) : null;
        if (!row) throw notFound(`${kind}/${id}`);
        return row;
      };

      fhir.get('/metadata', async (request, reply) => send(reply, 200, capabilityStatement(base(request))));

      const searchRoute = (type: 'ServiceRequest' | 'Task', make: (ctx: GraphQLContext, row: ReferralRow) => unknown) =>
        handle(`search ${type}`, async (ctx, request) => {
          requireRead(ctx);
          const query = request.query as Record<string, string | string[]>;
          const search = parseSearch(query, type === 'Task' ? taskStatus : serviceRequestStatus);
          const { rows, total } = await searchReferrals(ctx, search);
          const resources = await Promise.all(rows.map((row) => make(ctx, row)));
          const url = (offset: number) => {
            const params = new URLSearchParams();
            for (const [name, value] of Object.entries(query)) if (name !== '_offset') for (const v of [value].flat()) params.append(name, v);
            params.set('_count', String(search.count));
            if (offset) params.set('_offset', String(offset));
            return `${base(request)}/${type}?${params}`;
          };
          const link = [
            { relation: 'self', url: url(search.offset) },
            ...(search.offset + rows.length < total ? [{ relation: 'next', url: url(search.offset + search.count) }] : []),
            ...(search.offset > 0 ? [{ relation: 'previous', url: url(Math.max(0, search.offset - search.count)) }] : []),
          ];
          return {
            status: 200,
            body: {
              resourceType: 'Bundle',
              type: 'searchset',
              total,
              link,
              entry: rows.map((row, i) => ({ fullUrl: `${base(request)}/${type}/${row.id}`, resource: resources[i], search: { mode: 'match' } })),
            },
          };
        });

      fhir.get(
        '/ServiceRequest',
        searchRoute('ServiceRequest', (_ctx, row) => serviceRequest(row)),
      );
      fhir.get('/Task', searchRoute('Task', taskOf));
      fhir.get(
        '/ServiceRequest/:id',
        handle('read ServiceRequest', async (ctx, request) => ({
          status: 200,
          body: serviceRequest(await readReferral(ctx, (request.params as { id: string }).id, 'ServiceRequest')),
        })),
      );
      fhir.get(
        '/Task/:id',
        handle('read Task', async (ctx, request) => ({
          status: 200,
          body: await taskOf(ctx, await readReferral(ctx, (request.params as { id: string }).id, 'Task')),
        })),
      );
      fhir.get(
        '/Patient/:id',
        handle('read Patient', async (ctx, request) => ({
          status: 200,
          body: await patient(ctx, await readReferral(ctx, (request.params as { id: string }).id, 'Patient')),
        })),
      );

      /** Submits through `submitReferral`; the ServiceRequest as the partner sent it, with its id and status. */
      const submit = async (ctx: GraphQLContext, input: SubmitReferralInput) => {
        const { submitReferral: submitted } = await executeOperation<Submitted>(deps, ctx, submitDocument, { input });
        const id = (Buffer.from(submitted.id, 'base64').toString().split(':')[1] ?? '').trim();
        const principal = ctx.principal as Extract<Principal, { kind: 'PARTNER' }>;
        return {
          id,
          resource: {
            resourceType: 'ServiceRequest',
            id,
            identifier: [{ value: input.externalReference }],
            status: serviceRequestStatus.REQUESTED,
            intent: 'order',
            category: input.needs.map((need) => needCategory(need as Need)),
            code: { text: 'Social prescribing: referral to a link worker' },
            subject: { reference: `Patient/${id}` },
            authoredOn: submitted.referredAt,
            requester: { identifier: { system: systems.partner, value: principal.partnerId } },
            performer: [{ identifier: { system: systems.site, value: input.site } }],
          },
        };
      };

      fhir.post(
        '/ServiceRequest',
        handle('create ServiceRequest', async (ctx, request, reply) => {
          const { id, resource } = await submit(ctx, submissionOf(bodyOf(request)));
          void reply.header('location', `${base(request)}/ServiceRequest/${id}`);
          return { status: 201, body: resource };
        }),
      );

      fhir.post(
        '/',
        handle('transaction', async (ctx, request) => {
          const { request: serviceRequestResource, entries, taskFullUrl, requestFullUrl } = transactionOf(bodyOf(request));
          const { id } = await submit(ctx, submissionOf(serviceRequestResource, entries));
          const response = (type: string) => ({ response: { status: '201 Created', location: `${type}/${id}` } });
          const entry = [...entries].map(([fullUrl, resource]) =>
            fullUrl === requestFullUrl ? response('ServiceRequest') : fullUrl === taskFullUrl ? response('Task') : response(String(resource.resourceType)),
          );
          return { status: 200, body: { resourceType: 'Bundle', type: 'transaction-response', entry } };
        }),
      );

      /** Cancels through `cancelReferral`: the one change a partner makes to a Task. */
      const cancel = async (ctx: GraphQLContext, id: string, statusReason: unknown) => {
        if (!idPattern.test(id)) throw notFound(`Task/${id}`);
        const reason = textOf(statusReason);
        const input = { referralId: encodeGlobalID('PartnerReferral', id), reasonCode: reasonCodeOf(statusReason), ...(reason ? { reason } : {}) };
        await executeOperation(deps, ctx, cancelDocument, { input });
        if (!allows(actions.readOwnReferrals, ctx.principal!))
          return { resourceType: 'Task', id, status: 'cancelled', intent: 'order', focus: { reference: `ServiceRequest/${id}` } };
        return taskOf(ctx, (await findReferral(ctx, id))!);
      };

      fhir.patch(
        '/Task/:id',
        handle('patch Task', async (ctx, request) => {
          const patch = bodyOf(request) as unknown;
          if (!Array.isArray(patch)) throw badUserInput([{ field: 'body', message: 'must be a JSON Patch (application/json-patch+json)' }]);
          let status: unknown;
          let reason: unknown = null;
          for (const op of patch as { op?: string; path?: string; value?: unknown }[]) {
            if ((op.op === 'replace' || op.op === 'add') && op.path === '/status') status = op.value;
            else if ((op.op === 'replace' || op.op === 'add') && op.path === '/statusReason') reason = op.value;
            else throw unprocessable('A partner may only cancel a Task: replace /status with "cancelled" (and /statusReason)');
          }
          if (status !== 'cancelled') throw unprocessable('A partner may only cancel a Task: replace /status with "cancelled"');
          return { status: 200, body: await cancel(ctx, (request.params as { id: string }).id, reason) };
        }),
      );

      fhir.put(
        '/Task/:id',
        handle('update Task', async (ctx, request) => {
          const body = bodyOf(request);
          const id = (request.params as { id: string }).id;
          if (body.resourceType !== 'Task' || body.id !== id) throw badUserInput([{ field: 'id', message: 'must be a Task with the id of the URL' }]);
          if (body.status !== 'cancelled') throw unprocessable('A partner may only cancel a Task: send it with status "cancelled"');
          return { status: 200, body: await cancel(ctx, id, body.statusReason) };
        }),
      );

      for (const type of ['ServiceRequest', 'Patient']) {
        for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
          fhir.route({ method, url: `/${type}/:id`, handler: (request, reply) => fail(request, reply, notSupported(`${method} ${type} is not supported`)) });
        }
      }
    },
    { prefix: FHIR_PREFIX },
  );
}

function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== 'object' || body === null) throw badUserInput([{ field: 'body', message: 'must be a JSON resource' }]);
  return body as Record<string, unknown>;
}

/** The referral-status-reason code of a Task.statusReason; OTHER when it carries none of ours. */
const reasonCodeOf = (concept: unknown) => {
  const codings = (concept as { coding?: { system?: unknown; code?: unknown }[] } | undefined)?.coding ?? [];
  const coding = Array.isArray(codings) ? codings.find((c) => c?.system === statusReasonSystem && typeof c.code === 'string') : undefined;
  return (coding && statusReasonFromFhir(coding.code as string)) ?? 'OTHER';
};

const textOf = (concept: unknown) => {
  const c = concept as { text?: unknown; coding?: { display?: unknown }[] } | undefined;
  const text = typeof c?.text === 'string' ? c.text : typeof c?.coding?.[0]?.display === 'string' ? c.coding[0].display : null;
  return text?.trim() ? text.trim() : null;
};

function capabilityStatement(base: string) {
  const searchParams = [
    { name: '_lastUpdated', type: 'date', documentation: 'eq, gt, ge, lt, le; a date alone is a whole day (UTC)' },
    { name: 'status', type: 'token', documentation: 'the resource’s status codes, comma-separated for any of them' },
    { name: 'identifier', type: 'token', documentation: 'the identifier the partner submitted under (value, or system|value)' },
    { name: '_count', type: 'number', documentation: 'page size, 1 to 100 (default 20)' },
    { name: '_offset', type: 'number', documentation: 'entries to skip; the Bundle’s next link carries it' },
  ];
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-30',
    publisher: 'Alliance for Healthier Communities — Rx: Community',
    kind: 'instance',
    implementation: { description: 'Rx: Community referrals for partner organizations (HL7 SDOH Clinical Care referral workflow)', url: base },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        security: {
          description:
            'Authorization: Bearer <JWT> of a partner (the GraphQL API’s tokens and scopes): referrals:read to read and search, referrals:create to submit and cancel.',
        },
        resource: [
          {
            type: 'ServiceRequest',
            supportedProfile: ['http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-ServiceRequest'],
            interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'create' }],
            searchParam: searchParams,
          },
          {
            type: 'Task',
            supportedProfile: ['http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-TaskForReferralManagement'],
            interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'update' }, { code: 'patch' }],
            searchParam: searchParams,
          },
          { type: 'Patient', interaction: [{ code: 'read' }] },
        ],
        interaction: [{ code: 'transaction' }],
      },
    ],
  };
}
