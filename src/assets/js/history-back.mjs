// "Go back" on the page that refuses unusual characters (issue 12): going back in the browser's
// history returns to the form with what the person typed still in it, where following the link
// would load the form afresh. Without this script the link still leads to the form's page.

for (const link of document.querySelectorAll('a[data-history-back]')) {
  link.addEventListener('click', (event) => {
    const cameFromHaven = document.referrer !== '' && new URL(document.referrer).origin === window.location.origin
    if (!cameFromHaven || window.history.length < 2) return
    event.preventDefault()
    window.history.back()
  })
}
