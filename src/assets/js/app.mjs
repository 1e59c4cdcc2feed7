// Haven's progressive enhancement. Every journey works without this file.
import { initAll } from './govuk-frontend.min.js'

initAll()

// GOV.UK Frontend marks a radio that reveals a further question with aria-expanded, which ARIA
// does not allow on a radio (WCAG 4.1.2; axe's aria-allowed-attr). The revealed question comes
// straight after its radio, so nothing is lost without it: the attribute is taken off as soon as
// it is set, when the page starts and whenever a radio is chosen.
const isRadio = (node) => node instanceof HTMLInputElement && node.type === 'radio'
for (const radio of document.querySelectorAll('input[type="radio"][aria-expanded]'))
  radio.removeAttribute('aria-expanded')
new MutationObserver((changes) => {
  for (const { target } of changes)
    if (isRadio(target) && target.hasAttribute('aria-expanded')) target.removeAttribute('aria-expanded')
}).observe(document.body, { subtree: true, attributeFilter: ['aria-expanded'] })
