'use strict'

const {
  Resource,
  requiredId,
  requiredObject,
  optionalObject,
  optionalArray,
  throwOn207,
  field,
  v,
} = require('./shared.js')
const { LateValidationError } = require('../errors.js')

/** `scheduledFor` may be given as a Date; the API takes ISO 8601 text. */
function dateText(value, param) {
  if (v.reading(param, () => value instanceof Date)) {
    if (Number.isNaN(value.getTime())) throw new LateValidationError(`invalid \`${param}\`: an invalid Date`, { param })
    return value.toISOString()
  }
  return v.optionalString(value, param)
}

/** Checks a create/update body and returns the one to send (Dates as ISO text). */
function postBody(body) {
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
    out.platforms = optionalArray(out.platforms, 'platforms').map((item, i) => {
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

/** Posts (`/v1/posts`). A 207 from create, update or retry rejects with PartialPublishError. */
class Posts extends Resource {
  /**
   * `POST /v1/posts` → `{ message, post, warnings? }` (or a TikTok `dryRun` verdict). Sent with
   * one `Idempotency-Key` reused on every retry. 207 → PartialPublishError.
   */
  create(body, options) {
    const init = {}
    return this._call('POST /v1/posts', init, options, {
      check: () => {
        init.body = postBody(body)
      },
      after: throwOn207,
    })
  }

  /** `GET /v1/posts` → Paginator over `posts` (page/limit, or cursor once the API hands one out). */
  list(params, options) {
    const query = optionalObject(params, 'params')
    return this._list('GET /v1/posts', { query, itemsKey: 'posts' }, options)
  }

  /** `GET /v1/posts/{postId}` → the post. */
  get(postId, options) {
    return this._call('GET /v1/posts/{postId}', { params: { postId } }, options, {
      check: () => requiredId(postId, 'postId'),
      unwrap: field('post'),
    })
  }

  /** `PUT /v1/posts/{postId}` → `{ message, post, warnings? }`. 207 → PartialPublishError. */
  update(postId, body, options) {
    const init = { params: { postId } }
    return this._call('PUT /v1/posts/{postId}', init, options, {
      check: () => {
        requiredId(postId, 'postId')
        init.body = postBody(body)
      },
      after: throwOn207,
    })
  }

  /** `DELETE /v1/posts/{postId}` → `{ message }`. */
  delete(postId, options) {
    return this._call('DELETE /v1/posts/{postId}', { params: { postId } }, options, {
      check: () => requiredId(postId, 'postId'),
    })
  }

  /** `POST /v1/posts/{postId}/retry`: publishes a failed post again → `{ message, post }`. 207 → PartialPublishError. */
  retry(postId, options) {
    return this._call('POST /v1/posts/{postId}/retry', { params: { postId } }, options, {
      check: () => requiredId(postId, 'postId'),
      after: throwOn207,
    })
  }
}

module.exports = { Posts }
