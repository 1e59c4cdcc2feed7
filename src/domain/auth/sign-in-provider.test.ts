import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  claimedEmail,
  decideLink,
  defaultIssuer,
  isEmailDomain,
  isIssuerUrl,
  isTenantId,
  providerDidMfa,
  refuseClaims,
  type SignInProvider,
} from './sign-in-provider.ts'

const TENANT = '3f2504e0-4f89-11d3-9a0c-0305e82c3301'
const microsoft: SignInProvider = {
  kind: 'microsoft',
  tenantId: TENANT,
  domain: 'oakfield.sch.uk',
  issuer: defaultIssuer('microsoft', TENANT),
  clientId: 'haven',
}
const google: SignInProvider = { ...microsoft, kind: 'google', tenantId: null, issuer: defaultIssuer('google', null) }
const claims = { iss: 'x', sub: 's1', email: 'Ben.Carter@oakfield.sch.uk', tid: TENANT, hd: 'oakfield.sch.uk' }

test('the default issuers are Entra ID for the tenant and Google', () => {
  assert.equal(microsoft.issuer, `https://login.microsoftonline.com/${TENANT}/v2.0`)
  assert.equal(google.issuer, 'https://accounts.google.com')
})

test('configuration values: tenant ids are GUIDs, domains are domains, issuers are https or this machine', () => {
  assert.ok(isTenantId(TENANT))
  assert.ok(!isTenantId('oakfield'))
  assert.ok(isEmailDomain('oakfield.sch.uk'))
  assert.ok(!isEmailDomain('@oakfield.sch.uk'))
  assert.ok(!isEmailDomain('oakfield'))
  assert.ok(isIssuerUrl('https://accounts.google.com'))
  assert.ok(isIssuerUrl('http://localhost:4000/oidc'))
  assert.ok(!isIssuerUrl('http://login.example.com'))
  assert.ok(!isIssuerUrl('https://idp.example.com/?a=1'))
  assert.ok(!isIssuerUrl('not a url'))
})

test('an account of the school passes; its email is read in lower case', () => {
  assert.equal(refuseClaims(microsoft, claims), null)
  assert.equal(refuseClaims(google, claims), null)
  assert.equal(claimedEmail(claims), 'ben.carter@oakfield.sch.uk')
  assert.equal(claimedEmail({ iss: 'x', sub: 's', preferred_username: 'a@oakfield.sch.uk' }), 'a@oakfield.sch.uk')
})

test('an unknown domain, another tenant, a personal Google account or no email are refused', () => {
  assert.equal(refuseClaims(microsoft, { ...claims, email: 'ben@elsewhere.example' }), 'wrong-domain')
  assert.equal(refuseClaims(microsoft, { ...claims, tid: 'another' }), 'wrong-tenant')
  assert.equal(refuseClaims(google, { ...claims, hd: undefined }), 'wrong-domain')
  assert.equal(refuseClaims(google, { ...claims, email_verified: false }), 'email-unverified')
  assert.equal(refuseClaims(google, { iss: 'x', sub: 's' }), 'no-email')
})

test('the provider’s multifactor claim counts only when amr says mfa', () => {
  assert.ok(providerDidMfa({ iss: 'x', sub: 's', amr: ['pwd', 'mfa'] }))
  assert.ok(!providerDidMfa({ iss: 'x', sub: 's', amr: ['pwd'] }))
  assert.ok(!providerDidMfa({ iss: 'x', sub: 's', amr: 'mfa' }))
  assert.ok(!providerDidMfa({ iss: 'x', sub: 's' }))
})

test('accounts are linked by subject: a link wins, email links only someone not linked already', () => {
  assert.deepEqual(decideLink({ personId: 'a' }, { personId: 'b', linkedSubjectOfIssuer: null }), {
    outcome: 'linked',
    personId: 'a',
  })
  assert.deepEqual(decideLink(null, { personId: 'b', linkedSubjectOfIssuer: null }), { outcome: 'link', personId: 'b' })
  assert.deepEqual(decideLink(null, { personId: 'b', linkedSubjectOfIssuer: 'other-subject' }), {
    outcome: 'refuse',
    reason: 'linked-to-another',
  })
  assert.deepEqual(decideLink(null, null), { outcome: 'refuse', reason: 'no-account' })
})
