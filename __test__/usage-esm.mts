// The ESM entry exposes the same types.
import late, { LateClient, type SocialAccount } from '../index.mjs'

const client: LateClient = new late.LateClient({ apiKey: 'sk_test_typed' })
const accounts: Promise<SocialAccount[]> = client.listAccounts()
void accounts
