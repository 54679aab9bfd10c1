/**
 * The name of the parameter a location ends in — `body.user.password` → `password`, `query.redirect_uri` →
 * `redirect_uri`, and the naming containers of JSF and ASP.NET forms, `loginForm:password` and
 * `ctl00$Main$Password` — and its normal form for comparing names as applications spell them: without case,
 * `_` or `-` (`new_password`, `newPassword` and `new-password` are one name).
 */
export function paramOf(location: string): string {
  return location.slice(Math.max(location.lastIndexOf('.'), location.lastIndexOf(':'), location.lastIndexOf('$')) + 1);
}

export function normalParam(name: string): string {
  // `@` marks an XML attribute (`body.login.@password`, xml.ts).
  return name.toLowerCase().replace(/^@|[_-]/g, '');
}
