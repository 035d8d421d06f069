import { Type } from 'typebox';
import { defineRoute, principalOf, type RouteSpec, rolesAccess } from '../../http/route.js';
import { IdParams, NoContent } from '../../http/schemas.js';
import { sendEmail } from './email.service.js';
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  updateTemplate,
} from './template.service.js';

/** Sellers and support agents write to their contacts; admins pass every role check. */
const senders = rolesAccess('sales', 'support');
const tags = ['crm email'];

const TemplateSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  subject: Type.String(),
  body: Type.String(),
  html: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Subject = Type.String({ minLength: 1, maxLength: 998 });
const Body = Type.String({ minLength: 1, maxLength: 200_000 });
const RecordId = Type.String({ minLength: 1, maxLength: 40 });

/** E-mail templates with merge fields, and one-to-one sending to a contact. */
export const emailRoutes: RouteSpec[] = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/crm/email-templates',
    summary: 'Create an e-mail template ({{contact.firstname|there}} merge fields)',
    tags,
    access: senders,
    schema: {
      body: Type.Object(
        { name: Name, subject: Subject, body: Body, html: Type.Optional(Type.Boolean()) },
        { additionalProperties: false },
      ),
      response: { 201: TemplateSchema },
    },
    handler: async (ctx) => ({ status: 201, body: await createTemplate(ctx.deps, ctx.body) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/crm/email-templates',
    summary: 'List e-mail templates',
    tags,
    access: senders,
    schema: { response: { 200: Type.Object({ data: Type.Array(TemplateSchema) }) } },
    handler: async (ctx) => ({ body: { data: await listTemplates(ctx.deps) } }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/crm/email-templates/:id',
    summary: 'An e-mail template',
    tags,
    access: senders,
    schema: { params: IdParams, response: { 200: TemplateSchema } },
    handler: async (ctx) => ({ body: await getTemplate(ctx.deps, ctx.params.id) }),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/crm/email-templates/:id',
    summary: 'Change an e-mail template',
    tags,
    access: senders,
    schema: {
      params: IdParams,
      body: Type.Object(
        {
          name: Type.Optional(Name),
          subject: Type.Optional(Subject),
          body: Type.Optional(Body),
          html: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      response: { 200: TemplateSchema },
    },
    handler: async (ctx) => ({ body: await updateTemplate(ctx.deps, ctx.params.id, ctx.body) }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/crm/email-templates/:id',
    summary: 'Delete an e-mail template',
    tags,
    access: senders,
    schema: { params: IdParams, response: { 204: NoContent } },
    handler: async (ctx) => {
      await deleteTemplate(ctx.deps, ctx.params.id);
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/crm/emails',
    summary: 'Send an e-mail to a contact over SMTP and log it on the contact, deal and company',
    tags,
    access: senders,
    schema: {
      body: Type.Object(
        {
          contactId: RecordId,
          templateId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          subject: Type.Optional(Subject),
          body: Type.Optional(Body),
          html: Type.Optional(Type.Boolean()),
          dealId: Type.Optional(RecordId),
          companyId: Type.Optional(RecordId),
        },
        { additionalProperties: false },
      ),
      response: {
        201: Type.Object({
          emailId: Type.String(),
          messageId: Type.String(),
          to: Type.String(),
          subject: Type.String(),
          text: Type.String(),
          associated: Type.Array(Type.Object({ objectType: Type.String(), id: Type.String() })),
        }),
      },
    },
    handler: async (ctx) => {
      const principal = principalOf(ctx);
      const actor = {
        id: principal.id,
        role: principal.role,
        isUser: principal.kind === 'user',
        email: principal.kind === 'user' ? principal.email : undefined,
      };
      return { status: 201, body: await sendEmail(ctx.deps, ctx.body, actor) };
    },
  }),
];
