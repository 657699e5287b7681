/** OpenAPI 3.1 description of the host-app API, served at GET /api/handbook/openapi.json. */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const data = (schema: object) => json({ type: 'object', properties: { data: schema } });
const errorResponses = {
  '400': { description: 'Validation failed: error.details.errors lists { field, message }', content: json(ref('Error')) },
  '401': { description: 'No token, or an unknown or expired one', content: json(ref('Error')) },
  '403': { description: 'The token lacks the host-app permission for this route', content: json(ref('Error')) },
  '404': { description: 'Member, journey or notification not found', content: json(ref('Error')) },
};
const externalId = { name: 'externalId', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' }, description: "The host app's opaque member id (never a phone or ID-card number)" };
const journeyId = { name: 'journeyId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const date = { type: 'string', format: 'date' };

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'MCH Handbook Platform — host-app API',
    version: '1.0.0',
    description:
      'Server-to-server API for the host app: members, journeys, life events, the stage-tailored feed, the inbox, upcoming reminders and erasure. Authenticate with a host-app API token (a custom token granted the Handbook permissions) as `Authorization: Bearer <token>`.',
  },
  servers: [{ url: '/api' }],
  security: [{ hostAppToken: [] }],
  paths: {
    '/handbook/members/{externalId}': {
      parameters: [externalId],
      put: {
        summary: 'Create or update a member',
        requestBody: { required: true, content: json(ref('MemberInput')) },
        responses: { '200': { description: 'Updated', content: data(ref('Member')) }, '201': { description: 'Created', content: data(ref('Member')) }, ...errorResponses },
      },
      get: { summary: 'Everything held about the member (right of access)', responses: { '200': { description: 'The member, journeys, events, notifications with attempts, active days', content: data({ type: 'object' }) }, ...errorResponses } },
      delete: { summary: 'Erase the member and everything about them (idempotent)', responses: { '204': { description: 'Erased (or already absent)' }, ...errorResponses } },
    },
    '/handbook/members/{externalId}/journeys': {
      parameters: [externalId],
      post: { summary: 'Start a journey: preconception, pregnancy or child', requestBody: { required: true, content: json(ref('JourneyInput')) }, responses: { '201': { description: 'Created', content: data(ref('Journey')) }, ...errorResponses } },
    },
    '/handbook/members/{externalId}/journeys/{journeyId}': {
      parameters: [externalId, journeyId],
      patch: { summary: 'Correct a journey (EDD correction, risk colour…); pending reminders are re-planned', requestBody: { required: true, content: json(ref('JourneyPatch')) }, responses: { '200': { description: 'Updated', content: data(ref('Journey')) }, ...errorResponses } },
    },
    '/handbook/members/{externalId}/journeys/{journeyId}/events': {
      parameters: [externalId, journeyId],
      post: {
        summary: 'Record a life event: visit, birth (one child journey per baby), loss (cancels pending pregnancy reminders at once), risk-change',
        requestBody: { required: true, content: json(ref('EventInput')) },
        responses: { '201': { description: 'Recorded', content: data({ type: 'object' }) }, ...errorResponses },
      },
    },
    '/handbook/members/{externalId}/feed': {
      parameters: [
        externalId,
        { name: 'at', in: 'query', schema: { type: 'string', format: 'date-time' } },
        { name: 'locale', in: 'query', schema: { enum: ['zh-Hans', 'en'] } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
        { name: 'cursor', in: 'query', schema: { type: 'string' } },
      ],
      get: { summary: "Today's content for all active journeys, ranked, each with its reason", responses: { '200': { description: 'A page of the feed', content: data({ type: 'object' }) }, ...errorResponses } },
    },
    '/handbook/members/{externalId}/upcoming': {
      parameters: [externalId, { name: 'days', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 366, default: 90 } }],
      get: { summary: 'The reminder timeline: what is coming (checkups, vaccines, screenings)', responses: { '200': { description: 'Occurrences by date', content: data({ type: 'object' }) }, ...errorResponses } },
    },
    '/handbook/members/{externalId}/inbox': {
      parameters: [externalId, { name: 'limit', in: 'query', schema: { type: 'integer' } }, { name: 'cursor', in: 'query', schema: { type: 'string' } }],
      get: { summary: 'In-app inbox, newest first', responses: { '200': { description: 'A page of the inbox', content: data({ type: 'object' }) }, ...errorResponses } },
    },
    '/handbook/members/{externalId}/inbox/{notificationId}/read': {
      parameters: [externalId, { name: 'notificationId', in: 'path', required: true, schema: { type: 'string' } }],
      post: { summary: 'Mark an inbox item read', responses: { '200': { description: 'The item', content: data({ type: 'object' }) }, ...errorResponses } },
    },
    '/handbook/tools/pregnancy': {
      parameters: [{ name: 'lmp', in: 'query', schema: date }, { name: 'edd', in: 'query', schema: date }],
      get: { security: [], summary: 'Public pregnancy calculator: 孕周, 预产期, trimester', responses: { '200': { description: 'Dating', content: data({ type: 'object' }) }, '400': errorResponses['400'] } },
    },
  },
  components: {
    securitySchemes: { hostAppToken: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: { type: 'object', properties: { error: { type: 'object', properties: { status: { type: 'integer' }, name: { type: 'string' }, message: { type: 'string' }, details: { type: 'object', properties: { errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } } } } } } } },
      MemberInput: {
        type: 'object',
        additionalProperties: false,
        properties: {
          regionCode: { type: ['string', 'null'], pattern: '^\\d{6}$' },
          institutionCode: { type: ['string', 'null'] },
          locale: { enum: ['zh-Hans', 'en'] },
          timeZone: { type: 'string', description: 'IANA time zone, default Asia/Shanghai' },
          consent: { type: ['object', 'null'], additionalProperties: false, properties: { version: { type: 'string' }, at: { type: 'string', format: 'date-time' } }, required: ['version', 'at'] },
          preferences: {
            type: 'object',
            additionalProperties: false,
            properties: {
              quietHours: { type: 'object', properties: { start: { type: 'string', example: '21:00' }, end: { type: 'string', example: '08:00' } } },
              mutedCategories: { type: 'array', items: { enum: ['checkup', 'vaccine', 'screening', 'supplement', 'nutrition', 'follow-up', 'education'] } },
              channels: { type: 'array', items: { enum: ['push', 'inbox'] } },
            },
          },
        },
      },
      Member: { type: 'object' },
      JourneyInput: {
        oneOf: [
          { type: 'object', additionalProperties: false, required: ['kind', 'startedOn'], properties: { kind: { const: 'preconception' }, startedOn: date } },
          { type: 'object', additionalProperties: false, required: ['kind'], properties: { kind: { const: 'pregnancy' }, lmp: date, edd: date, eddBasis: { enum: ['lmp', 'ultrasound', 'clinician', 'art'] }, riskColour: { enum: ['green', 'yellow', 'orange', 'red', 'purple'] } } },
          { type: 'object', additionalProperties: false, required: ['kind', 'birthDate'], properties: { kind: { const: 'child' }, birthDate: date, sex: { enum: ['female', 'male', 'unknown'] }, gestationalAgeAtBirthDays: { type: 'integer', minimum: 154, maximum: 315 } } },
        ],
      },
      JourneyPatch: { type: 'object', additionalProperties: false, properties: { lmp: date, edd: date, eddBasis: { enum: ['lmp', 'ultrasound', 'clinician', 'art'] }, riskColour: { enum: ['green', 'yellow', 'orange', 'red', 'purple'] }, startedOn: date, sex: { enum: ['female', 'male', 'unknown'] }, gestationalAgeAtBirthDays: { type: 'integer' } } },
      Journey: { type: 'object' },
      EventInput: {
        oneOf: [
          { type: 'object', required: ['type', 'date'], properties: { type: { const: 'visit' }, date } },
          { type: 'object', required: ['type', 'date'], properties: { type: { const: 'loss' }, date } },
          { type: 'object', required: ['type', 'date', 'riskColour'], properties: { type: { const: 'risk-change' }, date, riskColour: { enum: ['green', 'yellow', 'orange', 'red', 'purple'] } } },
          { type: 'object', required: ['type', 'date', 'babies'], properties: { type: { const: 'birth' }, date, gestationalAgeAtBirthDays: { type: 'integer' }, babies: { type: 'array', minItems: 1, items: { type: 'object', properties: { sex: { enum: ['female', 'male', 'unknown'] } } } } } },
        ],
      },
    },
  },
};
