// Shapes of the Users API.
import { z } from "zod";
import { isoTime } from "@/lib/http/time";

export const ROLES = ["admin", "member", "viewer"] as const;
export const role = z.enum(ROLES);

export const createUserInput = z.strictObject({
  email: z.email("Enter a valid email address.").transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1, "Enter a name.").max(80),
  role: role.default("member"),
  password: z.string().min(10, "Use at least 10 characters.").max(200).optional(),
});
export type CreateUserInput = z.input<typeof createUserInput>;

export const updateUserInput = z
  .strictObject({
    role: role.optional(),
    disabled: z.boolean().optional(),
    name: z.string().trim().min(1).max(80).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Send at least one field to change." });
export type UpdateUserInput = z.infer<typeof updateUserInput>;

export const userDto = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role,
    disabled: z.boolean(),
    lastLoginAt: isoTime.nullable(),
    createdAt: isoTime,
  })
  .meta({ id: "User" });
export type UserDto = z.infer<typeof userDto>;

export const createdUserDto = userDto
  .extend({ password: z.string().describe("Shown only here.") })
  .meta({ id: "CreatedUser" });

const newPassword = z.string().min(10, "Use at least 10 characters.").max(200);

export const changePasswordInput = z
  .strictObject({ currentPassword: z.string().min(1, "Enter your current password.").max(200), newPassword })
  .refine((v) => v.currentPassword !== v.newPassword, {
    path: ["newPassword"],
    message: "Choose a password different from the current one.",
  });
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

export const resetPasswordInput = z.strictObject({ password: newPassword.optional() });
export type ResetPasswordInput = z.infer<typeof resetPasswordInput>;

export const passwordChanged = z.object({ sessionsEnded: z.number().int() }).meta({ id: "PasswordChanged" });
export const passwordReset = z.object({ password: z.string(), generated: z.boolean() }).meta({ id: "PasswordReset" });
