import { Resource, requiredId, requiredObject, optionalObject, optionalArray, throwOn207, field } from './shared.js'
import * as v from '../validate.js'
import type { ApiPromise } from './api-promise.js'
import { LateValidationError } from '../errors.js'
import type { Paginator, PageOptions } from '../pagination.js'
import type { RequestOptions } from '../../index.js'
import type { RequestBody, ResponseBody, QueryParams, Post } from '../../types/index.js'

/**
 * A date-time the API takes as ISO 8601 text; a `Date` is sent as `toISOString()`.
 * @example
 * ```ts
 * const when: DateInput = new Date(Date.now() + 3_600_000)
 * ```
 */
export type DateInput = string | Date

type WithDates<B> = B extends object ? Omit<B, 'scheduledFor'> & { scheduledFor?: DateInput } : B

/**
 * Body of {@link Posts.create}: `RequestBody<'createPost'>`, with `scheduledFor` also accepting a Date.
 * @example
 * ```ts
 * const body: CreatePostParams = { content: 'Hi', scheduledFor: new Date('2026-12-01T09:00:00Z'), platforms: [{ platform: 'instagram', accountId }] }
 * ```
 */
export type CreatePostParams = WithDates<RequestBody<'createPost'>>
/**
 * Body of {@link Posts.update}: `RequestBody<'updatePost'>`, with `scheduledFor` also accepting a Date.
 * @example
 * ```ts
 * const change: UpdatePostParams = { content: 'Edited', scheduledFor: new Date('2026-12-02T10:00:00Z') }
 * ```
 */
export type UpdatePostParams = WithDates<RequestBody<'updatePost'>>
/**
 * What {@link Posts.create} resolves to: the 201 (created) or 200 (idempotent replay or TikTok dry run) body.
 * @example
 * ```ts
 * const created: CreatePostResult = await late.posts.create({ content: 'Hi', publishNow: true, platforms })
 * if ('post' in created) console.log(created.post?._id)
 * ```
 */
export type CreatePostResult = ResponseBody<'createPost', 201> | ResponseBody<'createPost', 200>

/** `scheduledFor` may be given as a Date; the API takes ISO 8601 text. */
function dateText(value: unknown, param: string): string | undefined {
  if (v.reading(param, () => value instanceof Date)) {
    // A Date: checked just above (inside `reading`, which turns a throwing Proxy trap into a LateValidationError).
    const date = value as Date
    if (Number.isNaN(date.getTime())) throw new LateValidationError(`invalid \`${param}\`: an invalid Date`, { param })
    return date.toISOString()
  }
  return v.optionalString(value, param)
}

/** Checks a create/update body and returns the one to send (Dates as ISO text). */
function postBody(body: unknown): Record<string, unknown> {
  const out = requiredObject(body, 'body')
  if (out.scheduledFor !== undefined) out.scheduledFor = dateText(out.scheduledFor, 'scheduledFor')
  v.optionalBoolean(out.publishNow, 'publishNow')
  v.optionalBoolean(out.isDraft, 'isDraft')
  v.optionalId(out.queuedFromProfile, 'queuedFromProfile')
  v.optionalId(out.queueId, 'queueId')
  if (out.content !== undefined && typeof out.content !== 'string') {
    throw new LateValidationError('invalid `content`: expected a string', { param: 'content' })
  }
  if (out.mediaItems !== undefined) out.mediaItems = optionalArray(out.mediaItems, 'mediaItems')
  if (out.platforms !== undefined) {
    // Defined (checked just above), so optionalArray returns an array.
    out.platforms = optionalArray(out.platforms, 'platforms')!.map((item, i) => {
      const param = `platforms[${i}]`
      const target = requiredObject(item, param)
      v.optionalString(target.platform, `${param}.platform`)
      if (target.platform === undefined) {
        throw new LateValidationError(`invalid \`${param}.platform\`: required, e.g. 'instagram'`, { param: `${param}.platform` })
      }
      requiredId(target.accountId, `${param}.accountId`)
      if (v.reading(`${param}.scheduledFor`, () => target.scheduledFor instanceof Date)) {
        target.scheduledFor = dateText(target.scheduledFor, `${param}.scheduledFor`)
      }
      return target
    })
  }
  return out
}

/**
 * `late.posts` (`/v1/posts`). A 207 from `create`, `update` or `retry` (post saved, inline publish
 * not fully successful) rejects with PartialPublishError: never a silent success.
 * @example
 * ```ts
 * for await (const post of late.posts.list({ status: 'failed' })) await late.posts.retry(post._id!)
 * ```
 */
export class Posts extends Resource {
  /**
   * `POST /v1/posts`: creates, schedules (`scheduledFor`), queues (`queuedFromProfile`) or
   * publishes (`publishNow`) a post; per-platform text in `platforms[].customContent`. Resolves to
   * `{ message, post, warnings? }` (or a TikTok `dryRun` verdict). Sent with one `Idempotency-Key`
   * reused on every retry. A 207 rejects with PartialPublishError.
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
  create(body: CreatePostParams, options?: RequestOptions): ApiPromise<CreatePostResult> {
    const init: { body?: Record<string, unknown> } = {}
    return this._call('POST /v1/posts', init, options, {
      check: () => {
        init.body = postBody(body)
      },
      after: throwOn207,
    })
  }

  /**
   * `GET /v1/posts`, every page (a Paginator over `posts`; page/limit, or cursor once the API hands one out).
   * @example
   * ```ts
   * for await (const post of late.posts.list({ status: 'scheduled', limit: 100 })) console.log(post._id, post.scheduledFor)
   * ```
   */
  list(params?: QueryParams<'listPosts'>, options?: PageOptions): Paginator<Post, ResponseBody<'listPosts'>> {
    const query = optionalObject(params, 'params')
    return this._list('GET /v1/posts', { query, itemsKey: 'posts' }, options)
  }

  /**
   * `GET /v1/posts/{postId}` → the post.
   * @example
   * ```ts
   * const post = await late.posts.get(postId)
   * ```
   */
  get(postId: string, options?: RequestOptions): ApiPromise<Post> {
    return this._call('GET /v1/posts/{postId}', { params: { postId } }, options, {
      check: () => requiredId(postId, 'postId'),
      unwrap: field<Post>('post'),
    })
  }

  /**
   * `PUT /v1/posts/{postId}` → `{ message, post, warnings? }`. A 207 rejects with PartialPublishError.
   * @example
   * ```ts
   * await late.posts.update(postId, { content: 'Edited', scheduledFor: '2026-12-01T09:00:00Z' })
   * ```
   */
  update(postId: string, body: UpdatePostParams, options?: RequestOptions): ApiPromise<ResponseBody<'updatePost'>> {
    const init: { params: { postId: string }; body?: Record<string, unknown> } = { params: { postId } }
    return this._call('PUT /v1/posts/{postId}', init, options, {
      check: () => {
        requiredId(postId, 'postId')
        init.body = postBody(body)
      },
      after: throwOn207,
    })
  }

  /**
   * `DELETE /v1/posts/{postId}` → `{ message }`.
   * @example
   * ```ts
   * await late.posts.delete(postId)
   * ```
   */
  delete(postId: string, options?: RequestOptions): ApiPromise<ResponseBody<'deletePost'>> {
    return this._call('DELETE /v1/posts/{postId}', { params: { postId } }, options, {
      check: () => requiredId(postId, 'postId'),
    })
  }

  /**
   * `POST /v1/posts/{postId}/retry`: publishes a failed post again → `{ message, post }`. A 207 rejects with PartialPublishError.
   * @example
   * ```ts
   * const { post } = await late.posts.retry(postId)
   * ```
   */
  retry(postId: string, options?: RequestOptions): ApiPromise<ResponseBody<'retryPost'>> {
    return this._call('POST /v1/posts/{postId}/retry', { params: { postId } }, options, {
      check: () => requiredId(postId, 'postId'),
      after: throwOn207,
    })
  }
}
