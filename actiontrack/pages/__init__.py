"""What every area with pages shares (web, reports, interchange, the account pages of api): finding the plan and
the action an address names, who is acting, rendering a page and refusing one, the shared form fields and the
one evidence download. It sits below every app that has views, so none of them imports another's views."""
