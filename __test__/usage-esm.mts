// The ESM entry exposes the same types.
import late, { LateClient, type SocialAccount } from '../index.mjs'

const client: LateClient = new late.LateClient({ apiKey: 'sk_test_typed' })
const accounts: Promise<SocialAccount[]> = client.listAccounts()
void accounts

// late-native/zernio from ESM: the default export is the client class, as in the official SDK.
import Zernio, { ZernioApiError, type ClientOptions } from '../zernio.mjs'
const options: ClientOptions = { apiKey: 'sk_test_typed' }
const zernio = new Zernio(options)
const listed: Promise<{ data: unknown; response: Response }> = zernio.posts.listPosts()
void listed
void ZernioApiError
