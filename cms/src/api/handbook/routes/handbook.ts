/**
 * The host-app API (server to server). Member routes authenticate with a host-app token
 * (api::handbook.host-app-auth); the pregnancy calculator and the OpenAPI document are public.
 */
const hostApp = { auth: false as const, middlewares: ['api::handbook.host-app-auth'] };
const publicRoute = { auth: false as const };
const member = '/handbook/members/:externalId';

export default {
  type: 'content-api',
  routes: [
    { method: 'PUT', path: member, handler: 'handbook.upsertMember', config: hostApp },
    { method: 'GET', path: member, handler: 'handbook.getMember', config: hostApp },
    { method: 'DELETE', path: member, handler: 'handbook.deleteMember', config: hostApp },
    { method: 'POST', path: `${member}/journeys`, handler: 'handbook.createJourney', config: hostApp },
    { method: 'PATCH', path: `${member}/journeys/:journeyId`, handler: 'handbook.patchJourney', config: hostApp },
    { method: 'POST', path: `${member}/journeys/:journeyId/events`, handler: 'handbook.addEvent', config: hostApp },
    { method: 'GET', path: `${member}/feed`, handler: 'handbook.feed', config: hostApp },
    { method: 'GET', path: `${member}/upcoming`, handler: 'handbook.upcoming', config: hostApp },
    { method: 'GET', path: `${member}/inbox`, handler: 'handbook.inbox', config: hostApp },
    { method: 'POST', path: `${member}/inbox/:notificationId/read`, handler: 'handbook.markRead', config: hostApp },
    { method: 'GET', path: '/handbook/tools/pregnancy', handler: 'handbook.pregnancyTool', config: publicRoute },
    { method: 'GET', path: '/handbook/openapi.json', handler: 'handbook.openapi', config: publicRoute },
  ],
};
