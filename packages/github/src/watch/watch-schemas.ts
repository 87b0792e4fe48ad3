import { z } from "zod";

/** GitHub's REST answers, as much of them as the watch loop reads (unknown fields pass). */
export const LabelSchema = z.union([z.string(), z.looseObject({ name: z.string().nullish() })]);
export const UserSchema = z.looseObject({ login: z.string() }).nullish();

export const IssueSchema = z.looseObject({
  number: z.number().int(),
  title: z.string(),
  body: z.string().nullish(),
  html_url: z.string(),
  labels: z.array(LabelSchema).default([]),
  user: UserSchema,
  created_at: z.string(),
  pull_request: z.unknown().optional(),
});

export const PullSchema = z.looseObject({
  number: z.number().int(),
  state: z.enum(["open", "closed"]),
  merged: z.boolean().nullish(),
  merged_at: z.string().nullish(),
  draft: z.boolean().nullish(),
  html_url: z.string(),
  head: z.looseObject({ ref: z.string(), sha: z.string() }),
  base: z.looseObject({ ref: z.string() }),
});

export const ReviewSchema = z.looseObject({
  id: z.number().int(),
  state: z.string(),
  body: z.string().nullish(),
  user: UserSchema,
  html_url: z.string().nullish(),
});

export const ReviewCommentSchema = z.looseObject({
  id: z.number().int(),
  body: z.string(),
  path: z.string().nullish(),
  line: z.number().int().nullish(),
  original_line: z.number().int().nullish(),
  user: UserSchema,
  html_url: z.string().nullish(),
  in_reply_to_id: z.number().int().nullish(),
});

export const CommentSchema = z.looseObject({
  id: z.number().int(),
  body: z.string().nullish(),
  user: UserSchema,
});
