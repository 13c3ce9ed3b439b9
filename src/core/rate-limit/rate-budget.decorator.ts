import { SetMetadata } from '@nestjs/common';

export const RATE_BUDGET = Symbol('rate-budget');

/**
 * This route's budget per user per HTTP_RATE_LIMIT_WINDOW_MS, instead of HTTP_RATE_LIMIT_PER_USER
 * (e.g. a costly search), or `false` to exempt it (operators' probes).
 */
export const RateBudget = (perUser: number | false): MethodDecorator & ClassDecorator => SetMetadata(RATE_BUDGET, perUser);
