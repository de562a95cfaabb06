import { Injectable } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { WhatsAppService } from 'nestjs-whatsapp-cloud';

@Injectable()
export class AdminService {
  constructor(private readonly whatsapp: WhatsAppService) {}

  async setUp(): Promise<string> {
    await this.whatsapp.profile.update({
      about: 'Fresh bread daily',
      websites: ['https://bakery.example'],
    });
    await this.whatsapp.phoneNumbers.setConversationalAutomation({
      enable_welcome_message: true,
      commands: [{ command_name: 'menu', command_description: 'Show the menu' }],
      prompts: ['Opening hours?', 'Order bread'],
    });
    const qr = await this.whatsapp.qrCodes.create({
      prefilled_message: 'Hi!',
      generate_qr_image: 'SVG',
    });
    return qr.deep_link_url; // https://wa.me/message/<code>
  }

  /** The profile picture: a Resumable Upload API handle, not a media id. */
  async setProfilePicture(appId: string, path: string): Promise<void> {
    const { h } = await this.whatsapp.uploads.uploadFile({
      appId,
      file_name: 'logo.png',
      file_type: 'image/png',
      data: await readFile(path),
    });
    await this.whatsapp.profile.update({ profile_picture_handle: h });
  }
}
