import { Injectable } from '@nestjs/common';
import { ContactsService } from './contacts.service.js';
import type { AcceptedDto } from './dto/contact.dto.js';
import type { ConnectionRequestDto } from './dto/request.dto.js';
import { RequestsService } from './requests.service.js';

/**
 * The receiver's answer to a request, as both the REST routes (accept / reject) and the socket event
 * `connection:respond` give it: one place for the rules and the answer's shape.
 */
@Injectable()
export class RequestAnswers {
  constructor(
    private readonly requests: RequestsService,
    private readonly contacts: ContactsService,
  ) {}

  /** Accept: the request and the new contact (the request's sender). */
  async accept(userId: string, requestId: string): Promise<AcceptedDto> {
    const { request, connectedAt } = await this.requests.accept(userId, requestId);
    return { request, contact: await this.contacts.one(userId, request.fromUserId, new Date(connectedAt)) };
  }

  reject(userId: string, requestId: string): Promise<ConnectionRequestDto> {
    return this.requests.reject(userId, requestId);
  }

  respond(userId: string, requestId: string, accept: boolean): Promise<AcceptedDto | ConnectionRequestDto> {
    return accept ? this.accept(userId, requestId) : this.reject(userId, requestId);
  }
}
