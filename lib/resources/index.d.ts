/**
 * The resource groups of a {@link LateClient}: `late.profiles`, `late.accounts`, `late.connectFlow`,
 * `late.posts`, `late.queue`, `late.webhooks`, `late.analytics`, `late.apiKeys`, `late.usage`,
 * `late.auth`. Request and response types come from the spec (`types/`); field names are the
 * API's own.
 *
 * Every method validates its input before anything is sent (a {@link LateValidationError}
 * naming the parameter) and takes the usual last `options` argument. Single calls return an
 * {@link ApiPromise}: `await` it for the result, or call `.withResponse()` for the result plus
 * `requestId`, `rateLimit`, `status` and `headers`. Lists return a {@link Paginator}.
 */

import type { LateClient, RequestOptions, WithResponse } from '../../index'
import type { Paginator, PageOptions } from '../pagination'
import type { RequestBody, ResponseBody, QueryParams, SocialAccount, Profile, Post, Webhook, WebhookLog, Schemas } from '../../types/index'

/**
 * What single-call resource methods return: a Promise of the result with `.withResponse()`.
 * One request serves both views.
 *
 * @example
 * ```ts
 * const post = await late.posts.get(postId)
 * const { data, requestId, rateLimit, status } = await late.posts.get(postId).withResponse()
 * ```
 */
export declare class ApiPromise<T> extends Promise<T> {
  /**
   * The result with the response metadata: `{ data, status, headers, requestId, rateLimit, attempts, idempotencyKey }`.
   * @example
   * ```ts
   * const { data: profile, requestId } = await late.profiles.get(profileId).withResponse()
   * ```
   */
  withResponse(): Promise<WithResponse<T>>
}

/** A date-time the API takes as ISO 8601 text; a `Date` is sent as `toISOString()`. */
export type DateInput = string | Date

type WithDates<B> = B extends object ? Omit<B, 'scheduledFor'> & { scheduledFor?: DateInput } : B

/** Body of {@link Posts.create}: `RequestBody<'createPost'>`, with `scheduledFor` also accepting a Date. */
export type CreatePostParams = WithDates<RequestBody<'createPost'>>
/** Body of {@link Posts.update}: `RequestBody<'updatePost'>`, with `scheduledFor` also accepting a Date. */
export type UpdatePostParams = WithDates<RequestBody<'updatePost'>>
/** What {@link Posts.create} resolves to: the 201 (created) or 200 (idempotent replay or TikTok dry run) body. */
export type CreatePostResult = ResponseBody<'createPost', 201> | ResponseBody<'createPost', 200>
/** An API key as listed (previews only) or created (`key` shown once). */
export type ApiKey = Schemas.ApiKey
/** One entry of the analytics change feed. */
export type AnalyticsDeltaItem = ResponseBody<'getAnalyticsDelta'>['data'][number]
/** The short-lived `X-Connect-Token` (the redirect's `connect_token`), sent as that header. */
export interface ConnectTokenParam {
  /** Sent as the `X-Connect-Token` header, never in the query or body. */
  connectToken?: string
}

/** `late.profiles`: containers that group connected accounts. */
export declare class Profiles {
  /**
   * `GET /v1/profiles`, every page (skip/limit). The default profile comes first.
   * @example
   * ```ts
   * for await (const profile of late.profiles.list()) console.log(profile._id, profile.name)
   * const [tenant] = await late.profiles.list({ externalId: 'tenant_42' }).toArray()
   * ```
   */
  list(params?: QueryParams<'listProfiles'>, options?: PageOptions): Paginator<Profile, ResponseBody<'listProfiles'>>
  /**
   * `POST /v1/profiles` → the created profile (sent with an `Idempotency-Key`).
   * @example
   * ```ts
   * const profile = await late.profiles.create({ name: 'Acme', timezone: 'Europe/Paris', externalId: 'tenant_42' })
   * ```
   */
  create(body: RequestBody<'createProfile'>, options?: RequestOptions): ApiPromise<Profile>
  /**
   * `GET /v1/profiles/{profileId}` → the profile.
   * @example
   * ```ts
   * const profile = await late.profiles.get(profileId)
   * ```
   */
  get(profileId: string, options?: RequestOptions): ApiPromise<Profile>
  /**
   * `PUT /v1/profiles/{profileId}` → the updated profile.
   * @example
   * ```ts
   * const profile = await late.profiles.update(profileId, { color: '#ffeda0', isDefault: true })
   * ```
   */
  update(profileId: string, body: RequestBody<'updateProfile'>, options?: RequestOptions): ApiPromise<Profile>
  /**
   * `DELETE /v1/profiles/{profileId}` → `{ message }`. A profile that still has accounts answers 400.
   * @example
   * ```ts
   * await late.profiles.delete(profileId)
   * ```
   */
  delete(profileId: string, options?: RequestOptions): ApiPromise<ResponseBody<'deleteProfile'>>
}

/** `late.accounts`: connected social accounts. */
export declare class Accounts {
  /**
   * `GET /v1/accounts`, every page. Without `page`/`limit` the API answers with every account at
   * once; with `limit` alone it pages by cursor; with `page` by number.
   * @example
   * ```ts
   * for await (const account of late.accounts.list({ profileId, platform: 'instagram' })) console.log(account.username)
   * ```
   */
  list(params?: QueryParams<'listAccounts'>, options?: PageOptions): Paginator<SocialAccount, ResponseBody<'listAccounts'>>
  /**
   * `PUT /v1/accounts/{accountId}` → `{ message, username, displayName, xCapabilities }`.
   * @example
   * ```ts
   * await late.accounts.update(accountId, { displayName: 'Acme Support' })
   * ```
   */
  update(accountId: string, body: RequestBody<'updateAccount'>, options?: RequestOptions): ApiPromise<ResponseBody<'updateAccount'>>
  /**
   * `PATCH /v1/accounts/{accountId}` with `{ profileId }`: moves the account to another profile.
   * @example
   * ```ts
   * await late.accounts.move(accountId, otherProfileId)
   * ```
   */
  move(accountId: string, profileId: string, options?: RequestOptions): ApiPromise<ResponseBody<'moveAccountToProfile'>>
  /**
   * `DELETE /v1/accounts/{accountId}`: disconnects the account.
   * @example
   * ```ts
   * await late.accounts.disconnect(accountId)
   * ```
   */
  disconnect(accountId: string, options?: RequestOptions): ApiPromise<ResponseBody<'deleteAccount'>>
  /**
   * `GET /v1/accounts/{accountId}/health`: token validity, permissions, issues, recommendations.
   * @example
   * ```ts
   * const { status, issues } = await late.accounts.health(accountId)
   * ```
   */
  health(accountId: string, options?: RequestOptions): ApiPromise<ResponseBody<'getAccountHealth'>>
  /**
   * `GET /v1/accounts/health`: every account's health and a summary.
   * @example
   * ```ts
   * const { summary } = await late.accounts.health({ status: 'error' })
   * ```
   */
  health(params?: QueryParams<'getAllAccountsHealth'>, options?: RequestOptions): ApiPromise<ResponseBody<'getAllAccountsHealth'>>
}

/**
 * `late.connectFlow`: the connect steps after the OAuth URL of `late.connect(platform)`: the
 * selection screens of the headless and Facebook-login flows, and credential connects.
 */
export declare class ConnectFlow {
  /**
   * `GET /v1/connect/facebook/select-page`: the Facebook Pages to choose from.
   * @example
   * ```ts
   * const { pages } = await late.connectFlow.listFacebookPages({ profileId, tempToken, connectToken })
   * ```
   */
  listFacebookPages(
    params?: QueryParams<'listFacebookPages'> & ConnectTokenParam,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'listFacebookPages'>>
  /**
   * `POST /v1/connect/facebook/select-page`: connects the chosen Page.
   * @example
   * ```ts
   * const { account } = await late.connectFlow.selectFacebookPage({ profileId, pageId, tempToken, userProfile })
   * ```
   */
  selectFacebookPage(
    body: RequestBody<'selectFacebookPage'> & ConnectTokenParam,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'selectFacebookPage'>>
  /**
   * `GET /v1/connect/instagram/select-account` (Instagram through Facebook login): the Pages with their Instagram accounts.
   * @example
   * ```ts
   * const { pages } = await late.connectFlow.listInstagramAccounts({ profileId, tempToken })
   * ```
   */
  listInstagramAccounts(
    params: QueryParams<'listInstagramPages'> & ConnectTokenParam,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'listInstagramPages'>>
  /**
   * `POST /v1/connect/instagram/select-account`: connects the chosen Instagram account.
   * @example
   * ```ts
   * const { account } = await late.connectFlow.selectInstagramAccount({ profileId, pageId, tempToken })
   * ```
   */
  selectInstagramAccount(
    body: RequestBody<'selectInstagramAccount'> & ConnectTokenParam,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'selectInstagramAccount'>>
  /**
   * `GET /v1/connect/linkedin/organizations`: details of the organizations the member administers.
   * @example
   * ```ts
   * const { organizations } = await late.connectFlow.listLinkedInOrganizations({ tempToken, orgIds: '123,456' })
   * ```
   */
  listLinkedInOrganizations(
    params: QueryParams<'listLinkedInOrganizations'>,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'listLinkedInOrganizations'>>
  /**
   * `POST /v1/connect/linkedin/select-organization`: connects the personal profile or an organization.
   * @example
   * ```ts
   * await late.connectFlow.selectLinkedInOrganization({ profileId, tempToken, userProfile, accountType: 'organization', selectedOrganization: { id: '123' } })
   * ```
   */
  selectLinkedInOrganization(
    body: RequestBody<'selectLinkedInOrganization'>,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'selectLinkedInOrganization'>>
  /**
   * `GET /v1/connect/googlebusiness/locations`: the Google Business locations to choose from.
   * @example
   * ```ts
   * const { locations } = await late.connectFlow.listGoogleBusinessLocations({ profileId, pendingDataToken })
   * ```
   */
  listGoogleBusinessLocations(
    params?: QueryParams<'listGoogleBusinessLocations'> & ConnectTokenParam,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'listGoogleBusinessLocations'>>
  /**
   * `POST /v1/connect/googlebusiness/select-location`: connects the chosen location(s).
   * @example
   * ```ts
   * await late.connectFlow.selectGoogleBusinessLocation({ profileId, pendingDataToken, locationId })
   * ```
   */
  selectGoogleBusinessLocation(
    body: RequestBody<'selectGoogleBusinessLocation'> & ConnectTokenParam,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'selectGoogleBusinessLocation'>>
  /**
   * `GET /v1/connect/pinterest/select-board`: the boards to choose from (needs `connectToken`).
   * @example
   * ```ts
   * const { boards } = await late.connectFlow.listPinterestBoards({ profileId, tempToken, connectToken })
   * ```
   */
  listPinterestBoards(
    params: QueryParams<'listPinterestBoardsForSelection'> & Required<ConnectTokenParam>,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'listPinterestBoardsForSelection'>>
  /**
   * `POST /v1/connect/pinterest/select-board`: connects the account with its default board.
   * @example
   * ```ts
   * await late.connectFlow.selectPinterestBoard({ profileId, boardId, tempToken })
   * ```
   */
  selectPinterestBoard(
    body: RequestBody<'selectPinterestBoard'> & ConnectTokenParam,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'selectPinterestBoard'>>
  /**
   * `GET /v1/connect/snapchat/select-profile`: the public profiles to choose from (needs `connectToken`).
   * @example
   * ```ts
   * const { publicProfiles } = await late.connectFlow.listSnapchatProfiles({ profileId, tempToken, connectToken })
   * ```
   */
  listSnapchatProfiles(
    params: QueryParams<'listSnapchatProfiles'> & Required<ConnectTokenParam>,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'listSnapchatProfiles'>>
  /**
   * `POST /v1/connect/snapchat/select-profile`: connects the chosen public profile.
   * @example
   * ```ts
   * await late.connectFlow.selectSnapchatProfile({ profileId, selectedPublicProfile, tempToken, userProfile, connectToken })
   * ```
   */
  selectSnapchatProfile(
    body: RequestBody<'selectSnapchatProfile'> & ConnectTokenParam,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'selectSnapchatProfile'>>
  /**
   * `POST /v1/connect/bluesky/credentials`: connects Bluesky with a handle and an app password.
   * `state` comes from `late.connect('bluesky', { profileId })`.
   * @example
   * ```ts
   * const { state } = await late.connect('bluesky', { profileId })
   * const { account } = await late.connectFlow.connectBluesky({ identifier: 'acme.bsky.social', appPassword, state })
   * ```
   */
  connectBluesky(body: RequestBody<'connectBlueskyCredentials'>, options?: RequestOptions): ApiPromise<ResponseBody<'connectBlueskyCredentials'>>
  /**
   * `GET /v1/connect/pending-data?token=`: the one-time OAuth data of a headless flow (10 minutes).
   * @example
   * ```ts
   * const { tempToken, userProfile, organizations } = await late.connectFlow.pendingData(pendingDataToken)
   * ```
   */
  pendingData(token: string, options?: RequestOptions): ApiPromise<ResponseBody<'getPendingOAuthData'>>
}

/**
 * `late.posts`. A 207 from `create`, `update` or `retry` (post saved, inline publish not fully
 * successful) rejects with {@link PartialPublishError}: never a silent success.
 */
export declare class Posts {
  /**
   * `POST /v1/posts`: creates, schedules (`scheduledFor`), queues (`queuedFromProfile`) or
   * publishes (`publishNow`) a post; per-platform text in `platforms[].customContent`. Sent with
   * one `Idempotency-Key` reused on every retry. A 207 rejects with {@link PartialPublishError}.
   * @example
   * ```ts
   * const { post } = await late.posts.create({
   *   content: 'Launch day!',
   *   scheduledFor: new Date(Date.now() + 3_600_000),
   *   timezone: 'Europe/Paris',
   *   platforms: [{ platform: 'instagram', accountId, customContent: 'Launch day! #acme' }],
   * })
   * ```
   */
  create(body: CreatePostParams, options?: RequestOptions): ApiPromise<CreatePostResult>
  /**
   * `GET /v1/posts`, every page (page/limit; cursor when the API hands one out).
   * @example
   * ```ts
   * for await (const post of late.posts.list({ status: 'scheduled', limit: 100 })) console.log(post._id, post.scheduledFor)
   * ```
   */
  list(params?: QueryParams<'listPosts'>, options?: PageOptions): Paginator<Post, ResponseBody<'listPosts'>>
  /**
   * `GET /v1/posts/{postId}` → the post.
   * @example
   * ```ts
   * const post = await late.posts.get(postId)
   * ```
   */
  get(postId: string, options?: RequestOptions): ApiPromise<Post>
  /**
   * `PUT /v1/posts/{postId}` → `{ message, post, warnings? }`. A 207 rejects with {@link PartialPublishError}.
   * @example
   * ```ts
   * await late.posts.update(postId, { content: 'Edited', scheduledFor: '2026-12-01T09:00:00Z' })
   * ```
   */
  update(postId: string, body: UpdatePostParams, options?: RequestOptions): ApiPromise<ResponseBody<'updatePost'>>
  /**
   * `DELETE /v1/posts/{postId}` → `{ message }`.
   * @example
   * ```ts
   * await late.posts.delete(postId)
   * ```
   */
  delete(postId: string, options?: RequestOptions): ApiPromise<ResponseBody<'deletePost'>>
  /**
   * `POST /v1/posts/{postId}/retry`: publishes a failed post again. A 207 rejects with {@link PartialPublishError}.
   * @example
   * ```ts
   * const { post } = await late.posts.retry(postId)
   * ```
   */
  retry(postId: string, options?: RequestOptions): ApiPromise<ResponseBody<'retryPost'>>
}

/** `late.queue`: weekly posting slots per profile. */
export declare class Queue {
  /**
   * `GET /v1/queue/slots`: the profile's (default or `queueId`) queue, or all with `all: 'true'`.
   * @example
   * ```ts
   * const { schedule, nextSlots } = await late.queue.get({ profileId })
   * ```
   */
  get(params: QueryParams<'listQueueSlots'>, options?: RequestOptions): ApiPromise<ResponseBody<'listQueueSlots'>>
  /**
   * `POST /v1/queue/slots`: creates a queue.
   * @example
   * ```ts
   * await late.queue.create({ profileId, name: 'Weekdays', timezone: 'Europe/Paris', slots: [{ dayOfWeek: 1, time: '09:00' }] })
   * ```
   */
  create(body: RequestBody<'createQueueSlot'>, options?: RequestOptions): ApiPromise<ResponseBody<'createQueueSlot', 201>>
  /**
   * `PUT /v1/queue/slots`: replaces a queue's slots (or creates it).
   * @example
   * ```ts
   * await late.queue.update({ profileId, queueId, timezone: 'Europe/Paris', slots: [{ dayOfWeek: 2, time: '10:30' }], reshuffleExisting: true })
   * ```
   */
  update(body: RequestBody<'updateQueueSlot'>, options?: RequestOptions): ApiPromise<ResponseBody<'updateQueueSlot'>>
  /**
   * `DELETE /v1/queue/slots`: deletes a queue.
   * @example
   * ```ts
   * await late.queue.delete({ profileId, queueId })
   * ```
   */
  delete(params: QueryParams<'deleteQueueSlot'>, options?: RequestOptions): ApiPromise<ResponseBody<'deleteQueueSlot'>>
  /**
   * `GET /v1/queue/preview`: the next `count` slot times.
   * @example
   * ```ts
   * const { slots } = await late.queue.preview({ profileId, count: 5 })
   * ```
   */
  preview(params: QueryParams<'previewQueue'>, options?: RequestOptions): ApiPromise<ResponseBody<'previewQueue'>>
  /**
   * `GET /v1/queue/next-slot`. To schedule into the queue, create the post with
   * `queuedFromProfile` rather than copying this time into `scheduledFor`.
   * @example
   * ```ts
   * const { nextSlot } = await late.queue.nextSlot({ profileId })
   * ```
   */
  nextSlot(params: QueryParams<'getNextQueueSlot'>, options?: RequestOptions): ApiPromise<ResponseBody<'getNextQueueSlot'>>
}

/** `late.webhooks`: endpoints, test sends and delivery logs. */
export declare class Webhooks {
  /**
   * `GET /v1/webhooks/settings` → every webhook.
   * @example
   * ```ts
   * const webhooks = await late.webhooks.list()
   * ```
   */
  list(options?: RequestOptions): ApiPromise<Webhook[]>
  /**
   * `POST /v1/webhooks/settings` → the created webhook.
   * @example
   * ```ts
   * const hook = await late.webhooks.create({ name: 'prod', url: 'https://app.example.com/late', events: ['account.connected'], secret })
   * ```
   */
  create(body: RequestBody<'createWebhookSettings'>, options?: RequestOptions): ApiPromise<Webhook>
  /**
   * `PUT /v1/webhooks/settings` → the updated webhook.
   * @example
   * ```ts
   * await late.webhooks.update(webhookId, { isActive: false })
   * ```
   */
  update(
    webhookId: string,
    body: Omit<RequestBody<'updateWebhookSettings'>, 'webhookId' | '_id'>,
    options?: RequestOptions,
  ): ApiPromise<Webhook>
  /**
   * `DELETE /v1/webhooks/settings?webhookId=`.
   * @example
   * ```ts
   * await late.webhooks.delete(webhookId)
   * ```
   */
  delete(webhookId: string, options?: RequestOptions): ApiPromise<ResponseBody<'deleteWebhookSettings'>>
  /**
   * `POST /v1/webhooks/test`: sends `webhook.test`, or a sample of `event`.
   * @example
   * ```ts
   * await late.webhooks.test(webhookId, { event: 'post.published' })
   * ```
   */
  test(
    webhookId: string,
    params?: Omit<RequestBody<'testWebhook'>, 'webhookId'>,
    options?: RequestOptions,
  ): ApiPromise<ResponseBody<'testWebhook'>>
  /**
   * `GET /v1/webhooks/logs`, every page (skip/limit; logs are kept 30 days).
   * @example
   * ```ts
   * for await (const log of late.webhooks.logs({ status: 'failed' })) console.log(log.event, log.statusCode)
   * ```
   */
  logs(params?: QueryParams<'getWebhookLogs'>, options?: PageOptions): Paginator<WebhookLog, ResponseBody<'getWebhookLogs'>>
  /**
   * `POST /v1/webhooks/logs/redeliver`: sends a logged event again.
   * @example
   * ```ts
   * await late.webhooks.redeliver(webhookId, eventId)
   * ```
   */
  redeliver(webhookId: string, eventId: string, options?: RequestOptions): ApiPromise<ResponseBody<'redeliverWebhookEvent'>>
}

/** `late.analytics`: post analytics and the change feed. */
export declare class Analytics {
  /**
   * `GET /v1/analytics`: one post's analytics with `postId` (status 202 while syncing, see
   * `.withResponse()`), else an overview with a page of posts.
   * @example
   * ```ts
   * const { data, status } = await late.analytics.get({ postId }).withResponse()
   * if (status === 202) console.log('still syncing')
   * ```
   */
  get(params?: QueryParams<'getAnalytics'>, options?: RequestOptions): ApiPromise<ResponseBody<'getAnalytics'> | ResponseBody<'getAnalytics', 202>>
  /**
   * `GET /v1/analytics/delta`, every page (cursor + `hasMore`): metrics that changed.
   * @example
   * ```ts
   * for await (const change of late.analytics.delta({ profileId })) console.log(change.postId, change.metrics)
   * ```
   */
  delta(params?: QueryParams<'getAnalyticsDelta'>, options?: PageOptions): Paginator<AnalyticsDeltaItem, ResponseBody<'getAnalyticsDelta'>>
}

/** `late.apiKeys`. */
export declare class ApiKeys {
  /**
   * `GET /v1/api-keys` → the keys (previews only).
   * @example
   * ```ts
   * const keys = await late.apiKeys.list()
   * ```
   */
  list(options?: RequestOptions): ApiPromise<ApiKey[]>
  /**
   * `POST /v1/api-keys` → the new key; its `key` is returned this once only.
   * @example
   * ```ts
   * const { key } = await late.apiKeys.create({ name: 'ci', permission: 'read', expiresIn: 30 })
   * ```
   */
  create(body: RequestBody<'createApiKey'>, options?: RequestOptions): ApiPromise<ApiKey>
  /**
   * `DELETE /v1/api-keys/{keyId}`.
   * @example
   * ```ts
   * await late.apiKeys.delete(keyId)
   * ```
   */
  delete(keyId: string, options?: RequestOptions): ApiPromise<ResponseBody<'deleteApiKey'>>
}

/** `late.usage`. */
export declare class Usage {
  /**
   * `GET /v1/usage`: the plan snapshot, or metered spend with `range`/`from`/`to`/`granularity`.
   * @example
   * ```ts
   * const usage = await late.usage.get({ range: '30d', granularity: 'day' })
   * ```
   */
  get(params?: QueryParams<'getUsage'>, options?: RequestOptions): ApiPromise<ResponseBody<'getUsage'>>
}

/** `late.auth`. */
export declare class Auth {
  /**
   * `GET /v1/auth/verify`: checks the key; free and reads no data.
   * @example
   * ```ts
   * const { valid, authType } = await late.auth.verify()
   * ```
   */
  verify(options?: RequestOptions): ApiPromise<ResponseBody<'verifyCredential'>>
}

/** The resource properties of a {@link LateClient}. */
export interface LateResources {
  readonly profiles: Profiles
  readonly accounts: Accounts
  readonly connectFlow: ConnectFlow
  readonly posts: Posts
  readonly queue: Queue
  readonly webhooks: Webhooks
  readonly analytics: Analytics
  readonly apiKeys: ApiKeys
  readonly usage: Usage
  readonly auth: Auth
}

